import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { ErrorType, ZpError } from "@zp/error";
import { adoptSocket } from "./area-socket.js";
import { Connection, type ConnectionOwner } from "./connection.js";
import { resolveOptions, type HttpServerOptions, type RequestHandler, type ResolvedOptions } from "./options.js";

/**
 * An HTTP/1.1 server on raw sockets: keep-alive, pipelining (answered in order),
 * streamed request bodies with backpressure, automatic response framing, limits,
 * timeouts on a timer wheel, upgrade hand-off and graceful close.
 *
 * It can own a listening port ({@link HttpServer.listen}) or serve sockets accepted
 * elsewhere, such as a TLS layer or a runtime that owns listeners
 * ({@link HttpServer.handleConnection}).
 *
 * @example
 * ```ts
 * const server = new HttpServer({}, (req, res) => {
 *   res.writeHead(200, { "Content-Type": "text/plain" });
 *   res.end("Hello, World!");
 * });
 * await server.listen(8080, "127.0.0.1");
 * ```
 */
export class HttpServer implements ConnectionOwner {
  /** @internal The options with defaults. */
  readonly options: ResolvedOptions;
  /** @internal The request handler. */
  readonly handler: RequestHandler;
  private readonly connections = new Set<Connection>();
  private listener: Server | undefined = undefined;
  private closing: Promise<void> | undefined = undefined;
  private closed: (() => void) | undefined = undefined;
  private deadline = 0;

  /**
   * @param options Limits, timeouts and hooks (see {@link HttpServerOptions}).
   * @param handler Called once per request, in order per connection.
   */
  constructor(options: HttpServerOptions, handler: RequestHandler) {
    this.options = resolveOptions(options);
    this.handler = handler;
  }

  /** Open connections (handed-off upgrades no longer count). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Whether `close()` was called. */
  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Listens on `port` (0: any free port) and `host` (default `127.0.0.1`). Resolves with
   * the bound address; rejects if it cannot listen (port in use...).
   */
  listen(port = 0, host = "127.0.0.1"): Promise<AddressInfo> {
    if (this.listener !== undefined || this.closing !== undefined) {
      return Promise.reject(ZpError.explain(ErrorType.BindError, "the server is already listening or closed"));
    }
    const listener = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.handleConnection(socket));
    this.listener = listener;
    return new Promise((resolve, reject) => {
      const onListenError = (err: Error): void => {
        this.listener = undefined;
        reject(ZpError.because(ErrorType.BindError, `listening on ${host}:${port}`, err));
      };
      listener.once("error", onListenError);
      listener.listen(port, host, () => {
        listener.off("error", onListenError);
        // accept errors (EMFILE...) must not crash the process
        listener.on("error", (err) => this.reportError(ZpError.because(ErrorType.AcceptError, "accepting connections", err)));
        resolve(listener.address() as AddressInfo);
      });
    });
  }

  /** The address the server listens on, or null. */
  address(): AddressInfo | null {
    const a = this.listener?.address();
    return a !== undefined && a !== null && typeof a === "object" ? a : null;
  }

  /**
   * Serves a connection accepted elsewhere (plain or TLS, already handshaken).
   * `initialBytes` are bytes already read from it, processed before anything else.
   * Sockets with `allowHalfOpen` let clients half-close after a request and still get
   * the response. After `close()` the socket is destroyed at once.
   */
  handleConnection(socket: Socket | TLSSocket, initialBytes?: Buffer): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    if (socket.destroyed) return; // gone before it reached us: nothing to serve
    // a plain TCP socket reads into one reused buffer (see adoptSocket)
    const adopted = initialBytes === undefined ? adoptSocket(socket as Socket) : socket;
    adopted.setNoDelay(true);
    const conn = new Connection(this, adopted);
    this.connections.add(conn);
    conn.start(initialBytes);
  }

  /**
   * Closes gracefully: stops accepting, closes idle keep-alive connections at once, lets
   * busy ones finish their current response (announcing `Connection: close`), and
   * destroys whatever is left after `timeoutMs` (default: the `closeTimeout` option).
   * Resolves when every connection is gone.
   */
  close(timeoutMs: number = this.options.closeTimeout): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closing = new Promise<void>((resolve) => {
      this.closed = resolve;
    });
    // Stops accepting at once; the listener's own close event also waits for
    // handed-off sockets, so we do not wait for it.
    this.listener?.close();
    for (const conn of [...this.connections]) conn.shutdown();
    if (this.connections.size > 0) {
      this.deadline = this.options.wheel.arm(timeoutMs, destroyAll, this);
      this.options.wheel.keepAlive(this.deadline);
    }
    this.checkClosed();
    return this.closing;
  }

  /** @internal Destroys every connection (the close deadline passed). */
  destroyAll(): void {
    const err = ZpError.explain(ErrorType.ConnectionClosed, "server closed").asInternal();
    for (const conn of [...this.connections]) conn.destroy(err);
  }

  /** @internal A connection closed or was handed over. */
  connectionGone(conn: Connection): void {
    this.connections.delete(conn);
    if (this.closing !== undefined) this.checkClosed();
  }

  private checkClosed(): void {
    if (this.connections.size > 0 || this.closed === undefined) return;
    if (this.deadline !== 0) this.options.wheel.cancel(this.deadline);
    this.deadline = 0;
    const resolve = this.closed;
    this.closed = undefined;
    resolve();
  }

  private reportError(err: ZpError): void {
    try {
      this.options.onError?.(err, undefined);
    } catch {
      // a logging hook must not take the server down
    }
  }
}

function destroyAll(server: HttpServer): void {
  server.destroyAll();
}
