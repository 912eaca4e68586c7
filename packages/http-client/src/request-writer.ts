import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { ZpError } from "@zp/error";
import type { HeaderMap, RequestHeader } from "@zp/http";
import { BatchedWriter } from "@zp/http";
import { NO_TIMER, type TimerWheel } from "@zp/timeout";
import { misuseError, requestFramingError, writeTimeoutError } from "./client-errors.js";
import { CHUNKED, SMALL_CHUNK, chunkHeader, chunkTrailerCrlf, frameRequest, framedSmallChunk, lastChunk, type BodyLength } from "./request-framing.js";

/** What a {@link RequestWriter} reports to (its connection). */
export interface WriterHost {
  /** The error that ended the exchange, if any. */
  readonly failure: ZpError | undefined;
  /** Whether the connection is closed. */
  readonly closed: boolean;
  /** Ends the exchange with `err` (the connection is destroyed). */
  failExchange(err: ZpError): void;
  /** The whole request has been written. */
  requestFinished(): void;
}

const W_NONE = 0; // no request on the wire
const W_BODY = 1; // head written, body being written
const W_DONE = 2; // request complete

/** Requests whose head and body together are at most this big go out as one buffer. */
const SINGLE_WRITE_LIMIT = 16 * 1024;

function uncorkSocket(socket: Socket): void {
  socket.uncork();
}

function onWriteTimer(writer: RequestWriter): void {
  writer.timerFired();
}

/**
 * The request side of a connection: frames and writes the head and body, and runs the write
 * timeout (armed when a write has to wait for the socket to drain, disarmed at `drain`).
 */
export class RequestWriter {
  /** The write timeout in ms, set per exchange from the peer. */
  writeMs: number;
  private readonly socket: Socket;
  private readonly wheel: TimerWheel;
  /** Writes to the socket, held until the end of the event-loop turn. */
  private readonly out: BatchedWriter;
  private readonly host: WriterHost;
  private state = W_NONE;
  private remaining = 0; // bytes of a Content-Length body left, or CHUNKED
  private timer = NO_TIMER;
  private drainResolve: (() => void) | undefined = undefined;
  private drainReject: ((err: ZpError) => void) | undefined = undefined;

  constructor(socket: Socket, wheel: TimerWheel, host: WriterHost, writeMs: number) {
    this.socket = socket;
    // requests leave before the responses of the same turn: the upstream starts on them sooner
    this.out = new BatchedWriter(socket, { early: true });
    this.wheel = wheel;
    this.host = host;
    this.writeMs = writeMs;
  }

  /** Whether a request has started on the wire. */
  get started(): boolean {
    return this.state !== W_NONE;
  }

  /** Whether the whole request has been written. */
  get finished(): boolean {
    return this.state === W_DONE;
  }

  /**
   * Decides the framing (adding missing framing headers to `head`) and marks the request
   * started. Writes nothing; throws `InvalidHTTPHeader` for framing the client refuses.
   * Returns the body length, or `CHUNKED`.
   */
  begin(head: RequestHeader, bodyLength: BodyLength): number {
    const framing = frameRequest(head, bodyLength);
    this.state = framing === 0 ? W_DONE : W_BODY;
    this.remaining = framing;
    return framing;
  }

  /** Writes the head; with a body to follow, corks the socket until the next tick. */
  writeHead(head: RequestHeader): void {
    const buf = head.toBuffer();
    if (this.state === W_DONE) {
      this.write(buf);
      this.host.requestFinished();
      return;
    }
    const socket = this.socket;
    if (socket.writableCorked === 0) {
      socket.cork();
      process.nextTick(uncorkSocket, socket);
    }
    this.write(buf);
  }

  /** Writes head and a Content-Length body together: one buffer when small, else one corked write. */
  writeWhole(head: RequestHeader, body: Uint8Array): void {
    const length = body.length;
    if (this.remaining !== length) {
      const err = requestFramingError(`Content-Length ${this.remaining} but a body of ${length} bytes`);
      this.host.failExchange(err);
      throw err;
    }
    const headLength = head.encodedLength();
    if (headLength + length <= SINGLE_WRITE_LIMIT) {
      const buf = Buffer.allocUnsafe(headLength + length);
      head.writeInto(buf, 0);
      buf.set(body, headLength);
      this.write(buf);
    } else {
      const socket = this.socket;
      socket.cork();
      this.write(head.toBuffer());
      this.write(body);
      socket.uncork();
    }
    this.state = W_DONE;
    this.remaining = 0;
    this.host.requestFinished();
  }

  /** Writes a piece of body, framed; see `ClientConnection.writeBody`. */
  writeBody(chunk: Buffer | Uint8Array | string): boolean {
    if (this.state !== W_BODY || this.host.failure !== undefined || this.host.closed) {
      throw this.host.failure ?? misuseError(this.host.closed ? "the connection is closed" : "no request body is being written");
    }
    const data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    const length = data.length;
    if (this.remaining === CHUNKED) {
      if (length === 0) return !this.socket.writableNeedDrain;
      if (length <= SMALL_CHUNK) return this.write(framedSmallChunk(data));
      const socket = this.socket;
      socket.cork();
      this.write(chunkHeader(length));
      this.write(data);
      const ok = this.write(chunkTrailerCrlf());
      socket.uncork();
      return ok;
    }
    if (length > this.remaining) {
      const err = requestFramingError(`request body exceeds its Content-Length by ${length - this.remaining} bytes`);
      this.host.failExchange(err);
      throw err;
    }
    this.remaining -= length;
    return length === 0 ? !this.socket.writableNeedDrain : this.write(data);
  }

  /** Ends the body; see `ClientConnection.finishBody`. */
  finish(trailers: HeaderMap | undefined): void {
    if (this.state !== W_BODY) {
      if (this.state === W_DONE && trailers === undefined) return;
      throw this.host.failure ?? misuseError("no request body is being written");
    }
    if (this.host.failure !== undefined || this.host.closed) throw this.host.failure ?? misuseError("the connection is closed");
    if (this.remaining === CHUNKED) {
      this.write(lastChunk(trailers));
    } else if (trailers !== undefined && trailers.size > 0) {
      throw requestFramingError("trailers need a chunked request body");
    } else if (this.remaining > 0) {
      const err = requestFramingError(`request body is ${this.remaining} bytes short of its Content-Length`);
      this.host.failExchange(err);
      throw err;
    }
    this.state = W_DONE;
    this.host.requestFinished();
  }

  /** Resolves once the socket drained (at once when it need not); rejects with the exchange's error. */
  waitDrain(): Promise<void> {
    const failure = this.host.failure;
    if (failure !== undefined) return Promise.reject(failure);
    if (this.host.closed) return Promise.reject(misuseError("the connection is closed"));
    if (!this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.drainResolve = resolve;
      this.drainReject = reject;
    });
  }

  /** The socket drained. */
  handleDrain(): void {
    this.cancelTimer();
    const resolve = this.drainResolve;
    if (resolve !== undefined) {
      this.drainResolve = this.drainReject = undefined;
      resolve();
    }
  }

  /** The exchange failed: a pending drain wait gets the error. */
  failWaiters(err: ZpError): void {
    this.cancelTimer();
    const reject = this.drainReject;
    if (reject !== undefined) {
      this.drainResolve = this.drainReject = undefined;
      reject(err);
    }
  }

  /** Ready for the next exchange. */
  reset(): void {
    this.cancelTimer();
    this.state = W_NONE;
    this.remaining = 0;
    this.drainResolve = this.drainReject = undefined;
  }

  /** Disarms the write timeout. */
  cancelTimer(): void {
    if (this.timer !== NO_TIMER) {
      this.wheel.cancel(this.timer);
      this.timer = NO_TIMER;
    }
  }

  /** @internal The write timeout fired: fails the exchange if the socket is still blocked. */
  timerFired(): void {
    this.timer = NO_TIMER;
    if (this.socket.writableNeedDrain && this.host.failure === undefined && !this.host.closed) this.host.failExchange(writeTimeoutError(this.writeMs));
  }

  private write(buf: Uint8Array): boolean {
    const ok = this.out.write(buf);
    if (!ok && this.timer === NO_TIMER) this.timer = this.wheel.arm(this.writeMs, onWriteTimer, this);
    return ok;
  }
}
