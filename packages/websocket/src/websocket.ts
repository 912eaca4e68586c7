import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { CloseCode, Opcode, ReadyState, isValidCloseCode } from "./constants.js";
import type { PerMessageDeflate } from "./permessage-deflate.js";
import { Receiver, type ReceiverLimits, type ReceiverSink } from "./receiver.js";
import { Sender } from "./sender.js";
import { WebSocketError } from "./websocket-error.js";

/** Options of a WebSocket over an already-upgraded socket. */
export interface WebSocketOptions extends ReceiverLimits {
  /** True on the server side (expects masked frames, sends unmasked ones). */
  isServer: boolean;
  /** The subprotocol agreed in the handshake ("" for none). */
  protocol?: string;
  /** The `Sec-WebSocket-Extensions` value agreed in the handshake ("" for none). */
  extensions?: string;
  /** The negotiated permessage-deflate, if any. */
  deflate?: PerMessageDeflate | null;
  /** Answer pings with pongs automatically (default true). */
  autoPong?: boolean;
  /** How long to wait for the peer to finish the close handshake before destroying the socket (ms, default 30,000). */
  closeTimeout?: number;
}

/** Options of {@link WebSocket.send}. */
export interface SendOptions {
  /** Send as a binary message (default: binary for buffers, text for strings). */
  binary?: boolean;
  /** Compress when permessage-deflate was negotiated and the message is at least the threshold (default true). */
  compress?: boolean;
  /** False to send a fragment and keep the message open; the last fragment has `fin: true` (default). */
  fin?: boolean;
}

export type WebSocketData = string | Buffer | Uint8Array | ArrayBuffer;

/** The events of a {@link WebSocket}. */
export interface WebSocketEvents {
  open: [];
  message: [data: Buffer, isBinary: boolean];
  ping: [data: Buffer];
  pong: [data: Buffer];
  close: [code: number, reason: Buffer];
  error: [error: Error];
  drain: [];
}

function toBuffer(data: WebSocketData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A WebSocket connection over a raw socket, for either role. Servers get one from
 * {@link WebSocketServer}; clients from {@link connect}.
 *
 * Events: `open`, `message(data, isBinary)`, `ping(data)`, `pong(data)`, `close(code, reason)`,
 * `error(err)` (only emitted when someone listens, so a hostile peer cannot crash the process),
 * `drain` (the socket's write buffer emptied; see {@link WebSocket.bufferedAmount}).
 */
export class WebSocket extends EventEmitter<WebSocketEvents> implements ReceiverSink {
  /** One of {@link ReadyState}. */
  readyState: ReadyState = ReadyState.CONNECTING;
  /** The agreed subprotocol, or "". */
  readonly protocol: string;
  /** The agreed extensions header value, or "". */
  readonly extensions: string;
  /** The underlying socket. */
  readonly socket: Socket;

  private readonly isServer: boolean;
  private readonly deflate: PerMessageDeflate | null;
  private readonly receiver: Receiver;
  private readonly sender: Sender;
  private readonly autoPong: boolean;
  private readonly closeTimeout: number;
  private closeSent = false;
  private closeReceived = false;
  private closeCode: number = CloseCode.Abnormal;
  private closeReason: Buffer = Buffer.alloc(0);
  private closeTimer: NodeJS.Timeout | undefined;
  private sendingFragments = false;
  private emittedClose = false;

  constructor(socket: Socket, options: WebSocketOptions) {
    super();
    this.socket = socket;
    this.isServer = options.isServer;
    this.protocol = options.protocol ?? "";
    this.extensions = options.extensions ?? "";
    this.deflate = options.deflate ?? null;
    this.autoPong = options.autoPong ?? true;
    this.closeTimeout = options.closeTimeout ?? 30_000;
    this.receiver = new Receiver(this, options.isServer, this.deflate, options);
    this.sender = new Sender(socket, !options.isServer);
    socket.setNoDelay(true);
    socket.setTimeout(0);
    socket.on("data", (chunk: Buffer) => this.receiver.write(chunk));
    socket.on("end", () => this.onSocketEnd());
    socket.on("close", () => this.onSocketClose());
    socket.on("error", (err) => this.emitError(err));
    socket.on("drain", () => this.emit("drain"));
  }

  /**
   * Marks the connection open and feeds bytes that arrived with the handshake. Called by
   * the server and client once the handshake is done.
   * @internal
   */
  start(head?: Buffer): void {
    this.readyState = ReadyState.OPEN;
    this.emit("open");
    if (head !== undefined && head.length > 0) {
      // Frames that came with the handshake are delivered once the caller has attached its
      // listeners (after the current microtasks); the socket waits so order is kept.
      this.socket.pause();
      setImmediate(() => {
        this.receiver.write(head);
        this.socket.resume();
      });
    }
  }

  /** Bytes queued in the socket but not yet sent. */
  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  /**
   * Sends a message (or a fragment with `fin: false`). Returns false when the socket's buffer
   * is above its high-water mark: wait for `drain` before sending more.
   */
  send(data: WebSocketData, options: SendOptions = {}): boolean {
    if (this.readyState !== ReadyState.OPEN) {
      throw new WebSocketError("ZP_WS_NOT_OPEN", `cannot send: the WebSocket is ${["connecting", "open", "closing", "closed"][this.readyState]}`);
    }
    const payload = toBuffer(data);
    const binary = options.binary ?? typeof data !== "string";
    const fin = options.fin ?? true;
    const opcode = this.sendingFragments ? Opcode.Continuation : binary ? Opcode.Binary : Opcode.Text;
    this.sendingFragments = !fin;
    // Compression applies to whole messages; fragments of a streamed message go uncompressed.
    if (opcode !== Opcode.Continuation && fin && this.deflate !== null && options.compress !== false && payload.length >= this.deflate.threshold) {
      return this.sender.frame(opcode, this.deflate.compress(payload), true, true);
    }
    return this.sender.frame(opcode, payload, fin, false);
  }

  /** Sends a ping with up to 125 bytes of data. */
  ping(data: WebSocketData = Buffer.alloc(0)): boolean {
    return this.control(Opcode.Ping, toBuffer(data));
  }

  /** Sends a pong with up to 125 bytes of data. */
  pong(data: WebSocketData = Buffer.alloc(0)): boolean {
    return this.control(Opcode.Pong, toBuffer(data));
  }

  /**
   * Starts the closing handshake: sends a Close frame with `code` (and a UTF-8 `reason` of at
   * most 123 bytes) and waits for the peer's Close; the socket is destroyed after
   * `closeTimeout` if the peer never answers.
   */
  close(code?: number, reason: string | Buffer = ""): void {
    if (this.readyState === ReadyState.CLOSED) return;
    if (code !== undefined && !isValidCloseCode(code)) {
      throw new WebSocketError("ZP_WS_INVALID_CLOSE_CODE", `invalid close code ${code}`);
    }
    const reasonBytes = typeof reason === "string" ? Buffer.from(reason, "utf8") : reason;
    if (reasonBytes.length > 123) throw new WebSocketError("ZP_WS_INVALID_ARGUMENT", "close reason longer than 123 bytes");
    if (this.readyState === ReadyState.CONNECTING) {
      this.terminate();
      return;
    }
    this.sendClose(code, reasonBytes);
    if (this.closeReceived) this.finishClose();
    else this.armCloseTimer();
  }

  /** Destroys the socket at once, without a closing handshake. */
  terminate(): void {
    this.readyState = ReadyState.CLOSING;
    this.socket.destroy();
  }

  // ── ReceiverSink ───────────────────────────────────────────────────────────

  /** @internal */
  onMessage(data: Buffer, isBinary: boolean): void {
    if (this.readyState === ReadyState.OPEN) this.emit("message", data, isBinary);
  }

  /** @internal */
  onPing(data: Buffer): void {
    if (this.autoPong && this.readyState === ReadyState.OPEN) this.control(Opcode.Pong, data);
    this.emit("ping", data);
  }

  /** @internal */
  onPong(data: Buffer): void {
    this.emit("pong", data);
  }

  /** @internal */
  onClose(code: number, reason: Buffer): void {
    this.closeReceived = true;
    this.closeCode = code;
    this.closeReason = reason;
    if (!this.closeSent) this.sendClose(code === CloseCode.NoStatus ? undefined : code, reason);
    this.finishClose();
  }

  /** @internal */
  onError(error: WebSocketError): void {
    this.emitError(error);
    if (!this.closeSent && this.socket.writable) {
      this.sendClose(error.closeCode || CloseCode.ProtocolError, Buffer.alloc(0));
    }
    this.closeCode = CloseCode.Abnormal;
    // The connection is unusable: stop reading and close the socket after the Close frame.
    this.socket.end();
    this.armCloseTimer();
  }

  // ── internals ──────────────────────────────────────────────────────────────

  private control(opcode: number, payload: Buffer): boolean {
    if (payload.length > 125) throw new WebSocketError("ZP_WS_INVALID_ARGUMENT", "control frame payload over 125 bytes");
    if (this.readyState !== ReadyState.OPEN) {
      throw new WebSocketError("ZP_WS_NOT_OPEN", "cannot send a control frame: the WebSocket is not open");
    }
    return this.sender.frame(opcode, payload, true, false);
  }

  private sendClose(code: number | undefined, reason: Buffer): void {
    if (this.closeSent) return;
    this.closeSent = true;
    this.readyState = ReadyState.CLOSING;
    let payload: Buffer;
    if (code === undefined) {
      payload = Buffer.alloc(0);
    } else {
      payload = Buffer.allocUnsafe(2 + reason.length);
      payload.writeUInt16BE(code, 0);
      reason.copy(payload, 2);
    }
    if (this.socket.writable) this.sender.frame(Opcode.Close, payload, true, false);
  }

  // Both Close frames were exchanged: the server closes the TCP connection first (RFC 6455 §7.1.1);
  // the client waits for it, but not forever.
  private finishClose(): void {
    if (this.isServer) this.socket.end();
    this.armCloseTimer();
  }

  private armCloseTimer(): void {
    if (this.closeTimer !== undefined) return;
    this.closeTimer = setTimeout(() => this.socket.destroy(), this.closeTimeout);
    this.closeTimer.unref();
  }

  private onSocketEnd(): void {
    this.readyState = ReadyState.CLOSING;
    if (this.socket.writable) this.socket.end();
  }

  private onSocketClose(): void {
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.readyState = ReadyState.CLOSED;
    if (this.emittedClose) return;
    this.emittedClose = true;
    const code = this.closeReceived ? this.closeCode : CloseCode.Abnormal;
    this.emit("close", code, this.closeReceived ? this.closeReason : Buffer.alloc(0));
    this.removeAllListeners("drain");
  }

  private emitError(error: Error): void {
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }
}
