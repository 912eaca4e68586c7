import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { Connector, type ConnectorOptions } from "@zp/http-client";
import type { HttpRequest, HttpResponse, HttpServerOptions, RequestHandler, UpgradeHandler } from "@zp/http-server";
import { type FlowEngine, processRequest } from "./process-request.js";
import type { ProxyHttp } from "./proxy-http.js";
import { type ProxyLogger, stderrLogger } from "./proxy-logger.js";
import { RawResponse } from "./raw-response.js";
import { Session, type SessionSetup } from "./session.js";
import { Tunnel } from "./tunnel.js";

/** Options of an {@link HttpProxy} (and of the servers and services built on it). */
export interface HttpProxyOptions {
  /** Retries after a failed attempt (at most `1 + maxRetries` attempts). Default 1; a service takes `max_retries` from the server configuration. */
  maxRetries?: number;
  /** Request body bytes kept so a retry can resend them. Default 64 KiB. */
  retryBufferBytes?: number;
  /** How long to wait for the upstream's `100 Continue` before sending the body anyway. Default 1000 ms. */
  continueTimeoutMs?: number;
  /** Default limit of `session.readRequestBody()`. Default 1 MiB. */
  readBodyLimit?: number;
  /** The upstream connector (and its pool) to use; default: one of the proxy's own, made from `upstream`. */
  connector?: Connector;
  /**
   * Options of the proxy's own connector: default timeouts, pool limits, response limits.
   * Its idle connections keep the process alive (`unrefIdle: false`) until {@link HttpProxy.close}.
   */
  upstream?: ConnectorOptions;
  /** Where error lines go (default: stderr). */
  logger?: ProxyLogger;
}

function count(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be an integer >= 0, got ${value}`);
  return value;
}

/**
 * The proxy engine: runs a {@link ProxyHttp} for every request an `@zp/http-server`
 * `HttpServer` hands it ({@link HttpProxy.handler}, and {@link HttpProxy.upgradeHandler}
 * for upgrade requests), with upstream connections from a pooled `@zp/http-client`
 * `Connector`. {@link ProxyServer} and {@link httpProxyService} wire it to listeners;
 * use it directly to serve sockets of your own.
 */
export class HttpProxy<CTX = unknown> implements FlowEngine<CTX> {
  /** The phases. */
  readonly app: ProxyHttp<CTX>;
  /** Upstream connections and their pool. */
  readonly connector: Connector;
  /** Retries after a failed attempt. */
  maxRetries: number;
  /** Where error lines go. */
  logger: ProxyLogger;
  /** How long to wait for the upstream's `100 Continue`. */
  readonly continueTimeoutMs: number;
  /** @internal Whether any response body or trailer hook is defined. */
  readonly hasResponseBodyHooks: boolean;
  /** Handles a request: pass it to `new HttpServer(options, proxy.handler)`. */
  readonly handler: RequestHandler;
  /** Takes over an upgrade request: the server's `onUpgrade` option. */
  readonly upgradeHandler: UpgradeHandler;
  private readonly setup: SessionSetup;
  private readonly ownsConnector: boolean;
  private readonly tunnels = new Set<Tunnel>();

  /**
   * @param app The phases (only `upstreamPeer` is required).
   * @param options Retries, buffers, the connector, the logger.
   */
  constructor(app: ProxyHttp<CTX>, options: HttpProxyOptions = {}) {
    if (typeof app?.upstreamPeer !== "function") throw new TypeError("a ProxyHttp needs an upstreamPeer() method");
    this.app = app;
    this.maxRetries = count(options.maxRetries, 1, "maxRetries");
    this.continueTimeoutMs = options.continueTimeoutMs ?? 1000;
    if (!(this.continueTimeoutMs > 0)) throw new RangeError(`continueTimeoutMs must be > 0, got ${this.continueTimeoutMs}`);
    this.logger = options.logger ?? stderrLogger;
    this.ownsConnector = options.connector === undefined;
    // idle upstream connections stay ref'd (two native calls fewer per request): close() closes them
    this.connector = options.connector ?? new Connector({ unrefIdle: false, ...options.upstream });
    this.setup = {
      retryBufferBytes: count(options.retryBufferBytes, 64 * 1024, "retryBufferBytes"),
      readBodyLimit: count(options.readBodyLimit, 1024 * 1024, "readBodyLimit"),
    };
    this.hasResponseBodyHooks =
      app.upstreamResponseBodyFilter !== undefined ||
      app.responseBodyFilter !== undefined ||
      app.upstreamResponseTrailerFilter !== undefined ||
      app.responseTrailerFilter !== undefined;
    this.handler = (req, res) => this.handle(req, res);
    this.upgradeHandler = (req, socket, head) => this.handleUpgrade(req, socket, head);
  }

  /**
   * The options an `HttpServer` needs to run this proxy: `base` plus `onUpgrade` (this
   * proxy's tunnels) and `autoContinue: false` (the client hears `100 Continue` when the
   * upstream says it).
   */
  serverOptions(base: HttpServerOptions = {}): HttpServerOptions {
    return { ...base, autoContinue: false, onUpgrade: this.upgradeHandler };
  }

  /** Open tunnels (upgraded connections). */
  get tunnelCount(): number {
    return this.tunnels.size;
  }

  /** Proxies one request. */
  handle(req: HttpRequest, res: HttpResponse): void {
    const session = new Session(req, res, this.setup);
    processRequest(this, session);
  }

  /** Proxies an upgrade request whose socket the server handed over. */
  handleUpgrade(req: HttpRequest, socket: Socket | TLSSocket, head: Buffer): void {
    const res = new RawResponse(socket, req.method);
    const session = new Session(req, res, { ...this.setup, upgradeHead: head });
    processRequest(this, session);
  }

  /** @internal Joins the two sockets of an upgraded session. */
  openTunnel(down: Socket, downHead: Buffer | undefined, up: Socket, upHead: Buffer): Tunnel {
    const tunnel = new Tunnel(down, downHead, up, upHead);
    this.tunnels.add(tunnel);
    void tunnel.whenClosed().then(() => this.tunnels.delete(tunnel));
    return tunnel;
  }

  /** Closes every tunnel now. */
  closeTunnels(): void {
    for (const tunnel of [...this.tunnels]) tunnel.close();
  }

  /** Closes the tunnels and, unless it was given, the connector (idle upstream connections). */
  close(): void {
    this.closeTunnels();
    if (this.ownsConnector) this.connector.close();
  }
}
