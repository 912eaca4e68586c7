import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import { ErrorType, ZpError } from "@zp/error";
import type { HeaderMap, ResponseHeader } from "@zp/http";
import type { DownstreamResponse } from "./downstream-response.js";

// How the body is delimited.
const F_NONE = 0;
const F_LENGTH = 1;
const F_CLOSE = 2;

function onSocketError(this: Socket): void {
  // reported through `close`; an error listener keeps the process alive
}

/** How long a closing connection keeps reading (and dropping) before it is destroyed. */
const LINGER_MS = 2000;

function destroySocket(this: Socket): void {
  this.destroy();
}

/**
 * Ends our side and drops what the client still sends, so a reset cannot destroy the
 * response before the client read it; destroyed after {@link LINGER_MS} at most.
 */
function closeGently(socket: Socket): void {
  socket.end();
  socket.resume();
  socket.setTimeout(LINGER_MS, destroySocket);
}

/**
 * A response written straight to the socket of an upgrade request (which the HTTP server
 * handed over): a `101` before a tunnel, or, when the upstream declined the upgrade, a
 * final response delimited by its `Content-Length` or by closing the connection
 * (`Connection: close` always).
 */
export class RawResponse implements DownstreamResponse {
  private readonly socket: Socket;
  private readonly isHead: boolean;
  private head: ResponseHeader | undefined = undefined;
  private sent = false;
  private ended = false;
  private failed = false;
  private framing = F_NONE;
  private remaining = 0;
  private drainListener: (() => void) | undefined = undefined;
  private closeListener: ((this: unknown, err: ZpError | undefined) => void) | undefined = undefined;
  private closeReceiver: unknown = undefined;
  private readonly onDrainBound: () => void;
  private readonly onCloseBound: () => void;

  /** @param socket The handed-over socket. @param method The request method (HEAD answers carry no body). */
  constructor(socket: Socket, method: string) {
    this.socket = socket;
    this.isHead = method === "HEAD";
    this.onDrainBound = () => this.drainListener?.();
    this.onCloseBound = () => this.abort(ZpError.explain(ErrorType.ConnectionClosed, "the client closed the connection").asDownstream());
    socket.on("error", onSocketError);
    socket.on("drain", this.onDrainBound);
    socket.on("close", this.onCloseBound);
  }

  get headersSent(): boolean {
    return this.sent;
  }

  get finished(): boolean {
    return this.ended;
  }

  get aborted(): boolean {
    return this.failed;
  }

  writeHead(head: ResponseHeader): this {
    this.head = head;
    return this;
  }

  flushHeaders(): void {
    if (!this.sent && !this.ended && !this.failed) this.sendHead();
  }

  write(chunk: Uint8Array): boolean {
    if (this.ended || this.failed) return false;
    if (!this.sent) this.sendHead();
    if (this.framing === F_NONE || chunk.length === 0) return !this.socket.writableNeedDrain;
    if (this.framing === F_LENGTH) {
      if (chunk.length > this.remaining) {
        this.destroy(ZpError.explain(ErrorType.InternalError, "response body longer than its Content-Length"));
        return false;
      }
      this.remaining -= chunk.length;
    }
    return this.socket.write(chunk);
  }

  end(chunk?: Uint8Array): void {
    if (this.ended || this.failed) return;
    if (chunk !== undefined && chunk.length > 0) this.write(chunk);
    else if (!this.sent) this.sendHead();
    if (this.failed) return;
    if (this.framing === F_LENGTH && this.remaining > 0) {
      this.destroy(ZpError.explain(ErrorType.ConnectionClosed, "response body shorter than its Content-Length"));
      return;
    }
    this.ended = true;
    if (this.head === undefined || this.head.status !== 101) closeGently(this.socket);
    this.settle(undefined);
  }

  writeTrailers(_trailers: HeaderMap): void {
    // no chunked framing on this path: trailers are dropped
  }

  writeContinue(): void {
    // an upgrade request handed over carries no body: nothing to continue
  }

  writeInformational(status: number, headers?: HeaderMap): void {
    if (this.sent || this.ended || this.failed) return;
    let text = `HTTP/1.1 ${status} \r\n`;
    if (headers !== undefined) for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
    this.socket.write(Buffer.from(`${text}\r\n`, "latin1"));
  }

  onDrain(listener: (() => void) | undefined): void {
    this.drainListener = listener;
  }

  onClose<T>(listener: ((this: T, err: ZpError | undefined) => void) | undefined, receiver?: T): void {
    this.closeListener = listener as ((this: unknown, err: ZpError | undefined) => void) | undefined;
    this.closeReceiver = receiver;
  }

  destroy(err?: unknown): void {
    if (this.ended || this.failed) return;
    this.socket.destroy();
    this.abort(err === undefined ? ZpError.explain(ErrorType.ConnectionClosed, "response destroyed") : ZpError.wrap(err));
  }

  /**
   * After a 101 was sent: the socket, with this writer's listeners removed (an `error`
   * listener stays so the process never sees an unhandled error), for the tunnel.
   */
  takeSocket(): Socket {
    const socket = this.socket;
    socket.off("drain", this.onDrainBound);
    socket.off("close", this.onCloseBound);
    this.ended = true;
    return socket;
  }

  private sendHead(): void {
    const head = this.head;
    if (head === undefined) throw ZpError.explain(ErrorType.InternalError, "no response head to send").asInternal();
    this.sent = true;
    const status = head.status;
    const h = head.headers;
    h.remove("connection");
    h.remove("keep-alive");
    if (status === 101) {
      h.appendUnchecked("Connection", "Upgrade");
    } else {
      h.remove("transfer-encoding");
      h.appendUnchecked("Connection", "close");
      const length = h.get("content-length");
      if (this.isHead || status === 204 || status === 304 || status < 200) this.framing = F_NONE;
      else if (length !== undefined && /^\d+$/.test(length)) {
        this.framing = F_LENGTH;
        this.remaining = Number(length);
      } else this.framing = F_CLOSE;
    }
    head.setVersion("HTTP/1.1");
    this.socket.write(head.toBuffer());
  }

  private abort(err: ZpError): void {
    if (this.ended || this.failed) return;
    this.failed = true;
    this.settle(err);
  }

  private settle(err: ZpError | undefined): void {
    const listener = this.closeListener;
    this.closeListener = undefined;
    listener?.call(this.closeReceiver, err);
  }
}
