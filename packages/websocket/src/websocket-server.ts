import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { negotiateServer, refusalResponse, type ServerHandshakeOptions } from "./handshake.js";
import { HeadReader, type ReadHead } from "./head-reader.js";
import { headerLookup, type HeaderSource } from "./header-source.js";
import { PerMessageDeflate, type PerMessageDeflateOptions } from "./permessage-deflate.js";
import type { ReceiverLimits } from "./receiver.js";
import { WebSocket } from "./websocket.js";

/** Options of {@link WebSocketServer}. */
export interface WebSocketServerOptions extends ServerHandshakeOptions, ReceiverLimits {
  /** Listen on this port (0 for any free one). Omit to attach sockets yourself. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Largest handshake request head in bytes (default 16 KiB). */
  maxHeaderBytes?: number;
  /** Time allowed for the whole handshake request to arrive, in ms (default 10,000). */
  handshakeTimeout?: number;
  /** Answer pings automatically (default true). */
  autoPong?: boolean;
  /** Time to wait for the peer's Close before destroying the socket, in ms (default 30,000). */
  closeTimeout?: number;
  /** Called with the upgrade request; return false to refuse it with 403. */
  verify?: (request: UpgradeRequest) => boolean;
}

/** The upgrade request a connection came from. */
export interface UpgradeRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  remoteAddress: string | undefined;
}

/** Events of a {@link WebSocketServer}. */
export interface WebSocketServerEvents {
  connection: [socket: WebSocket, request: UpgradeRequest];
  listening: [];
  error: [error: Error];
  close: [];
}

/**
 * A WebSocket server. Either it owns a port (`port` option) and reads handshakes from raw
 * sockets itself, or you hand it sockets: {@link WebSocketServer.handleSocket} for a raw
 * socket whose request head was not read yet, {@link WebSocketServer.handleUpgrade} for one
 * whose request an HTTP server already parsed (Node's `upgrade` event, @zp/http-server).
 */
export class WebSocketServer extends EventEmitter<WebSocketServerEvents> {
  /** Open connections. */
  readonly clients = new Set<WebSocket>();
  private readonly options: WebSocketServerOptions;
  private server: Server | undefined;

  constructor(options: WebSocketServerOptions = {}) {
    super();
    this.options = options;
    if (options.port !== undefined) {
      const server = createServer((socket) => this.handleSocket(socket));
      this.server = server;
      server.on("error", (err) => this.emitError(err));
      server.listen(options.port, options.host ?? "127.0.0.1", () => this.emit("listening"));
    }
  }

  /** The address the server listens on (when it owns a port). */
  address(): AddressInfo | null {
    const a = this.server?.address();
    return a !== undefined && a !== null && typeof a === "object" ? a : null;
  }

  /**
   * Reads a handshake from a raw socket (plus any bytes already read from it) and upgrades it,
   * or answers 400/403/405/426 and closes it.
   */
  handleSocket(socket: Socket, initial?: Buffer): void {
    const reader = new HeadReader("request", this.options.maxHeaderBytes ?? 16 * 1024);
    const timer = setTimeout(() => socket.destroy(), this.options.handshakeTimeout ?? 10_000);
    timer.unref();
    const onError = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      let head: ReadHead | undefined;
      try {
        head = reader.push(chunk);
      } catch {
        socket.off("data", onData);
        clearTimeout(timer);
        socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      if (head === undefined) return;
      socket.off("data", onData);
      socket.off("error", onError);
      clearTimeout(timer);
      const request: UpgradeRequest = { method: head.method, url: head.url, headers: head.headers, remoteAddress: socket.remoteAddress };
      if (head.versionMajor !== 1 || head.versionMinor < 1) {
        socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      this.upgrade(socket, request, head.headers, head.rest);
    };
    socket.on("error", onError);
    socket.on("data", onData);
    if (initial !== undefined && initial.length > 0) onData(initial);
  }

  /**
   * Upgrades a socket whose request was already parsed. `head` holds bytes read after the
   * request head (Node's `upgrade` event passes them).
   */
  handleUpgrade(
    socket: Socket,
    request: { method?: string; url?: string; headers: HeaderSource },
    head: Buffer = Buffer.alloc(0),
  ): void {
    const headers: Array<[string, string]> = [];
    const lookup = headerLookup(request.headers);
    for (const name of ["host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions", "origin"]) {
      const v = lookup(name);
      if (v !== undefined) headers.push([name, v]);
    }
    this.upgrade(socket, { method: request.method ?? "GET", url: request.url ?? "/", headers, remoteAddress: socket.remoteAddress }, headers, head);
  }

  /** Stops listening and closes every connection with 1001 (going away). */
  close(callback?: () => void): void {
    for (const ws of this.clients) ws.close(1001);
    const done = () => {
      this.emit("close");
      callback?.();
    };
    if (this.server !== undefined) this.server.close(done);
    else queueMicrotask(done);
  }

  private upgrade(socket: Socket, request: UpgradeRequest, headers: Array<[string, string]>, rest: Buffer): void {
    const result = negotiateServer(request.method, headerLookup(headers), this.options);
    if (!result.ok) {
      socket.end(refusalResponse(result));
      return;
    }
    if (this.options.verify !== undefined && !this.options.verify(request)) {
      socket.end(refusalResponse({ ok: false, status: 403, reason: "forbidden", headers: [] }));
      return;
    }
    if (socket.destroyed || !socket.writable) return;
    socket.write(result.response);
    const deflateOptions: PerMessageDeflateOptions =
      typeof this.options.perMessageDeflate === "object" ? this.options.perMessageDeflate : {};
    const ws = new WebSocket(socket, {
      ...this.limits(),
      isServer: true,
      protocol: result.protocol,
      extensions: result.extensions,
      deflate: result.deflate === null ? null : new PerMessageDeflate(result.deflate, true, deflateOptions),
      autoPong: this.options.autoPong ?? true,
      closeTimeout: this.options.closeTimeout ?? 30_000,
    });
    this.clients.add(ws);
    ws.on("close", () => this.clients.delete(ws));
    ws.start(rest);
    this.emit("connection", ws, request);
  }

  private limits(): ReceiverLimits {
    const out: ReceiverLimits = {};
    if (this.options.maxFrameSize !== undefined) out.maxFrameSize = this.options.maxFrameSize;
    if (this.options.maxMessageSize !== undefined) out.maxMessageSize = this.options.maxMessageSize;
    if (this.options.maxFragments !== undefined) out.maxFragments = this.options.maxFragments;
    return out;
  }

  private emitError(err: Error): void {
    if (this.listenerCount("error") > 0) this.emit("error", err);
  }
}
