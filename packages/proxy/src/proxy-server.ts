import { type AddressInfo, type Server, createServer } from "node:net";
import { ErrorType, ZpError } from "@zp/error";
import { HttpServer, type HttpServerOptions } from "@zp/http-server";
import type { TlsServerContext } from "@zp/tls";
import { acceptConnection } from "./accept-connection.js";
import { HttpProxy, type HttpProxyOptions } from "./http-proxy.js";
import type { ProxyHttp } from "./proxy-http.js";

/** Options of a {@link ProxyServer}. */
export interface ProxyServerOptions extends HttpProxyOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Address to listen on (default `127.0.0.1`). */
  host?: string;
  /** Terminate TLS with this `@zp/tls` context (create it with `alpn: ["http/1.1"]`). */
  tls?: TlsServerContext;
  /** Limits and timeouts of the downstream HTTP server (`onUpgrade` and `autoContinue` are the proxy's). */
  server?: HttpServerOptions;
}

/**
 * A proxy that runs standalone: a listening socket, optional TLS, the HTTP server and the
 * proxy engine. `close()` drains gracefully.
 *
 * @example
 * ```ts
 * const server = await createProxyServer(new LoadBalancedProxy({ upstreams: ["127.0.0.1:3000"] }), { port: 8080 });
 * // ...
 * await server.close();
 * ```
 */
export class ProxyServer<CTX = unknown> {
  /** The proxy engine. */
  readonly proxy: HttpProxy<CTX>;
  /** The downstream HTTP server. */
  readonly http: HttpServer;
  private readonly options: ProxyServerOptions;
  private listener: Server | undefined = undefined;
  private closing: Promise<void> | undefined = undefined;

  /** @param app The phases. @param options Where to listen, TLS, limits, retries. */
  constructor(app: ProxyHttp<CTX>, options: ProxyServerOptions = {}) {
    this.options = options;
    this.proxy = new HttpProxy(app, options);
    this.http = new HttpServer(this.proxy.serverOptions(options.server), this.proxy.handler);
  }

  /**
   * Listens on `port` and `host` (defaults: the options', else 0 and `127.0.0.1`). Resolves
   * with the bound address.
   */
  listen(port: number = this.options.port ?? 0, host: string = this.options.host ?? "127.0.0.1"): Promise<AddressInfo> {
    if (this.listener !== undefined || this.closing !== undefined) {
      return Promise.reject(ZpError.explain(ErrorType.BindError, "the proxy server is already listening or closed"));
    }
    const tls = this.options.tls;
    const listener = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => acceptConnection(this.http, tls, socket));
    this.listener = listener;
    return new Promise((resolve, reject) => {
      const failed = (err: Error): void => {
        this.listener = undefined;
        reject(ZpError.because(ErrorType.BindError, `listening on ${host}:${port}`, err));
      };
      listener.once("error", failed);
      listener.listen(port, host, () => {
        listener.off("error", failed);
        listener.on("error", (err) => this.proxy.logger.error(`accepting connections: ${err.message}`));
        resolve(listener.address() as AddressInfo);
      });
    });
  }

  /** The bound address, or null before `listen`. */
  address(): AddressInfo | null {
    const a = this.listener?.address();
    return a !== undefined && a !== null && typeof a === "object" ? a : null;
  }

  /**
   * Stops accepting, lets requests in flight finish (their responses say
   * `Connection: close`), closes idle connections at once, destroys what is left after
   * `timeoutMs` (default: the server's `closeTimeout`, 30 s), then closes tunnels and idle
   * upstream connections.
   */
  close(timeoutMs?: number): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.listener?.close();
    this.closing = this.http.close(timeoutMs).then(() => this.proxy.close());
    return this.closing;
  }
}

/** Makes a {@link ProxyServer} and starts listening (`options.port`, `options.host`). */
export async function createProxyServer<CTX>(app: ProxyHttp<CTX>, options: ProxyServerOptions = {}): Promise<ProxyServer<CTX>> {
  const server = new ProxyServer(app, options);
  await server.listen();
  return server;
}
