import type { Server as NetServer } from "node:net";
import { HttpServer, type HttpServerOptions } from "@zp/http-server";
import type { ListenerSpec, Service, ServiceContext, StopOptions } from "@zp/runtime";
import type { TlsServerContext } from "@zp/tls";
import { acceptConnection } from "./accept-connection.js";
import { HttpProxy, type HttpProxyOptions } from "./http-proxy.js";
import type { ProxyHttp } from "./proxy-http.js";

/** Options of {@link httpProxyService}. */
export interface HttpProxyServiceOptions extends HttpProxyOptions {
  /** Name in logs (default `zingora HTTP proxy`). */
  name?: string;
  /** Where to accept connections (default: `address`:`port`); give them `serverOptions: { allowHalfOpen: true }` to serve clients that half-close. */
  listeners?: readonly ListenerSpec[];
  /** Shortcut for one TCP listener: its address (default `0.0.0.0`). */
  address?: string;
  /** Shortcut for one TCP listener: its port (default 8080). */
  port?: number;
  /** Terminate TLS with this `@zp/tls` context (create it with `alpn: ["http/1.1"]`). */
  tls?: TlsServerContext;
  /** Limits and timeouts of the downstream HTTP server. */
  server?: HttpServerOptions;
}

/**
 * A {@link ProxyHttp} as a `@zp/runtime` service: it accepts on the runtime's listeners
 * (in every worker), takes `max_retries` (unless `maxRetries` is given),
 * `upstream_keepalive_pool_size` and the error log from the server configuration, and
 * drains gracefully on stop.
 */
export class HttpProxyService<CTX = unknown> implements Service {
  /** Name in logs. */
  readonly name: string;
  /** Where the runtime accepts connections for it. */
  readonly listeners: readonly ListenerSpec[];
  private readonly app: ProxyHttp<CTX>;
  private readonly options: HttpProxyServiceOptions;
  private engine: HttpProxy<CTX> | undefined = undefined;
  private http: HttpServer | undefined = undefined;
  private stopping: Promise<void> | undefined = undefined;

  /** @param app The phases. @param options Listeners, TLS, limits, retries. */
  constructor(app: ProxyHttp<CTX>, options: HttpProxyServiceOptions = {}) {
    if (typeof app?.upstreamPeer !== "function") throw new TypeError("a ProxyHttp needs an upstreamPeer() method");
    this.app = app;
    this.options = options;
    this.name = options.name ?? "zingora HTTP proxy";
    this.listeners = options.listeners ?? [
      // half-open sockets let a client end its side after a request and still get the answer
      { address: options.address ?? "0.0.0.0", port: options.port ?? 8080, serverOptions: { allowHalfOpen: true, noDelay: true } },
    ];
  }

  /** The proxy engine (once started). */
  get proxy(): HttpProxy<CTX> | undefined {
    return this.engine;
  }

  /** Builds the proxy with the configuration's settings and attaches it to the listeners. */
  start(ctx: ServiceContext): void {
    const o = this.options;
    const conf = ctx.conf;
    const upstream = o.upstream ?? { pool: { maxIdle: conf.upstream_keepalive_pool_size } };
    const engine = new HttpProxy(this.app, {
      ...o,
      maxRetries: o.maxRetries ?? conf.max_retries,
      logger: o.logger ?? ctx.log,
      upstream,
    });
    const http = new HttpServer(engine.serverOptions(o.server), engine.handler);
    this.engine = engine;
    this.http = http;
    const tls = o.tls;
    for (const listener of ctx.listeners as readonly NetServer[]) {
      listener.on("connection", (socket) => acceptConnection(http, tls, socket));
    }
  }

  /** Graceful: in-flight requests finish until `deadline`; otherwise every connection closes now. */
  stop({ graceful, deadline }: StopOptions): Promise<void> {
    const http = this.http;
    const engine = this.engine;
    if (http === undefined || engine === undefined) return Promise.resolve();
    if (!graceful) {
      http.destroyAll();
      engine.closeTunnels();
    }
    this.stopping ??= http.close(graceful ? Math.max(0, deadline - Date.now()) : 0).then(() => engine.close());
    return this.stopping;
  }
}

/** Makes a `@zp/runtime` {@link Service} that runs `app` (Pingora's `http_proxy_service`). */
export function httpProxyService<CTX>(app: ProxyHttp<CTX>, options: HttpProxyServiceOptions = {}): HttpProxyService<CTX> {
  return new HttpProxyService(app, options);
}
