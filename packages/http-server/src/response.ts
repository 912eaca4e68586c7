import { Buffer } from "node:buffer";
import { ErrorType, ZpError } from "@zp/error";
import { type ResponseHeader, copyBytes, isValidStatus } from "@zp/http";
import type { Connection } from "./connection.js";
import { DATE_LINE_LENGTH, dateLine } from "./date-line.js";
import { errorResponse } from "./error-response.js";
import { decimalLength, hexLength, putDecimal, putHex, putUtf8, utf8Length } from "./byte-writers.js";
import type { HttpRequest } from "./request.js";
import { FieldFacts, allFieldBytes, writeAllFields, writeFields, type ResponseHeaderInit } from "./response-fields.js";
import { HttpServerErrorType, usageError } from "./server-error.js";
import { statusLine } from "./status-line.js";

// How the body of a response is delimited on the wire.
const F_NONE = 0; // no body (HEAD, 1xx, 204, 304)
const F_LENGTH = 1; // Content-Length
const F_CHUNKED = 2; // Transfer-Encoding: chunked
const F_CLOSE = 3; // until the connection closes (HTTP/1.0 client, length unknown)

// Where the head stands.
const HEAD_NONE = 0;
const HEAD_PENDING = 1; // writeHead was called; sent with the first write
const HEAD_SENT = 2;

/** Bodies up to this size are copied next to the head so the response is one write. */
const COPY_LIMIT = 16 * 1024;

const CRLF = Buffer.from("\r\n", "latin1");
const LAST_CHUNK = Buffer.from("0\r\n\r\n", "latin1");
const CONTINUE = Buffer.from("HTTP/1.1 100 Continue\r\n\r\n", "latin1");
const CONTENT_LENGTH = Buffer.from("Content-Length: ", "latin1");
const CHUNKED = Buffer.from("Transfer-Encoding: chunked\r\n", "latin1");
const CONNECTION_CLOSE = Buffer.from("Connection: close\r\n", "latin1");
const CONNECTION_KEEP_ALIVE = Buffer.from("Connection: keep-alive\r\n", "latin1");

/** Reused for every head: heads are written synchronously, one at a time. */
const facts = new FieldFacts();

/** A body chunk: bytes, or a string sent as UTF-8. */
export type Chunk = string | Uint8Array;

function byteLength(chunk: Chunk): number {
  return typeof chunk === "string" ? utf8Length(chunk) : chunk.byteLength;
}

function putChunk(out: Buffer, chunk: Chunk, at: number, len: number): number {
  return typeof chunk === "string" ? putUtf8(out, chunk, at, len) : copyBytes(out, chunk, at);
}

function mismatch(context: string): ZpError {
  return usageError(HttpServerErrorType.ContentLengthMismatch, context);
}

/**
 * The response to one {@link HttpRequest}. The server frames the body itself:
 * `Content-Length` when the length is known (given, or `end(body)` without earlier
 * writes), chunked for an HTTP/1.1 client otherwise, until-close for an HTTP/1.0
 * client; no body for HEAD, 1xx, 204 and 304. It also writes `Date`, `Server` (if
 * configured) and `Connection` (any `Connection`/`Keep-Alive` fields given are replaced;
 * a `close` token in them closes the connection after this response).
 *
 * The head is sent with the first `write`/`end` (or {@link HttpResponse.flushHeaders}),
 * so a small response leaves in a single socket write.
 */
export class HttpResponse {
  /** The request this answers. */
  readonly request: HttpRequest;
  /** The status code (200 until `writeHead`). */
  status = 200;
  private readonly conn: Connection;
  private reason: string | undefined = undefined;
  private fields: ResponseHeaderInit | undefined = undefined;
  private trailerFields: ResponseHeaderInit | undefined = undefined;
  private headState = HEAD_NONE;
  private framing = F_NONE;
  private bodyAllowed = false;
  private remaining = 0;
  private closeAfter = false;
  private ended = false;
  private isAborted = false;
  private continueSent = false;
  private drainListener: (() => void) | undefined = undefined;
  private closeListener: ((this: unknown, err: ZpError | undefined) => void) | undefined = undefined;
  private closeReceiver: unknown = undefined;

  /** @internal Made by the connection when it dispatches a request. */
  constructor(conn: Connection, request: HttpRequest) {
    this.conn = conn;
    this.request = request;
  }

  /** Whether the head has been written to the socket. */
  get headersSent(): boolean {
    return this.headState === HEAD_SENT;
  }

  /** Whether `end` completed the response (or the server answered in its place). */
  get finished(): boolean {
    return this.ended;
  }

  /** Whether the connection failed before the response finished. */
  get aborted(): boolean {
    return this.isAborted;
  }

  /** Whether the connection closes after this response (known once the head is sent). */
  get willClose(): boolean {
    return this.closeAfter;
  }

  /** Whether the socket's write buffer is full: wait for {@link HttpResponse.onDrain}. */
  get writableNeedDrain(): boolean {
    return this.conn.socket.writableNeedDrain;
  }

  /** Whether `100 Continue` was sent. */
  get continued(): boolean {
    return this.continueSent;
  }

  /**
   * Sets the status and header fields, or takes both (and the reason phrase) from a
   * {@link ResponseHeader}. Nothing is written yet. Fields are read when the head is sent.
   * Use {@link HttpResponse.writeInformational} for 1xx.
   */
  writeHead(status: number | ResponseHeader, headers?: ResponseHeaderInit): this {
    if (this.ended || this.isAborted) return this;
    if (this.headState === HEAD_SENT) throw usageError(HttpServerErrorType.ResponseState, "writeHead after the head was sent");
    if (typeof status === "number") {
      if (!isValidStatus(status) || status < 200) throw usageError(HttpServerErrorType.ResponseState, `invalid final status ${status}`);
      this.status = status;
      this.reason = undefined;
      this.fields = headers;
    } else {
      if (status.status < 200) throw usageError(HttpServerErrorType.ResponseState, `invalid final status ${status.status}`);
      this.status = status.status;
      this.reason = status.reason;
      this.fields = headers ?? status.headers;
    }
    this.headState = HEAD_PENDING;
    return this;
  }

  /** Sends the head now (a proxy forwarding a head before any body byte arrived). */
  flushHeaders(): void {
    if (this.headState !== HEAD_SENT && !this.ended && !this.isAborted) this.sendHead(undefined, 0, false);
  }

  /**
   * Sends a body chunk (strings as UTF-8). Returns `false` when the socket's buffer is
   * full: stop writing until {@link HttpResponse.onDrain} calls back. Returns `false`
   * and writes nothing once the response finished or failed.
   */
  write(chunk: Chunk): boolean {
    if (this.ended || this.isAborted) return false;
    const len = byteLength(chunk);
    if (this.headState !== HEAD_SENT) return this.sendHead(chunk, len, false);
    if (len === 0 || !this.bodyAllowed) return !this.conn.socket.writableNeedDrain;
    switch (this.framing) {
      case F_CHUNKED:
        return this.writeChunk(chunk, len);
      case F_LENGTH:
        if (len > this.remaining) throw mismatch(`body exceeds Content-Length by ${len - this.remaining} bytes`);
        this.remaining -= len;
        return this.conn.write(chunk);
      default:
        return this.conn.write(chunk);
    }
  }

  /**
   * Finishes the response, with an optional last chunk. A body shorter than its
   * `Content-Length` cannot be finished: the connection is destroyed instead.
   */
  end(chunk?: Chunk): void {
    if (this.ended || this.isAborted) return;
    const len = chunk === undefined ? 0 : byteLength(chunk);
    if (this.headState !== HEAD_SENT) {
      this.sendHead(chunk, len, true);
      return;
    }
    if (this.bodyAllowed) {
      if (this.framing === F_CHUNKED) {
        this.writeLastChunk(chunk, len);
      } else if (len > 0) {
        if (this.framing === F_LENGTH && len > this.remaining) throw mismatch(`body exceeds Content-Length by ${len - this.remaining} bytes`);
        this.remaining -= len;
        this.conn.write(chunk!);
      }
      if (this.framing === F_LENGTH && this.remaining > 0) {
        this.conn.destroy(mismatch(`body ended ${this.remaining} bytes short of its Content-Length`), this.request);
        return;
      }
    }
    this.finish();
  }

  /**
   * Sets trailer fields, sent after a chunked body by `end`. Set before the head is sent
   * they make an unknown-length body chunked; with other framing they are dropped.
   */
  writeTrailers(trailers: ResponseHeaderInit): void {
    if (this.ended) throw usageError(HttpServerErrorType.ResponseState, "writeTrailers after end");
    this.trailerFields = trailers;
  }

  /** Sends `100 Continue` (once, before the head, to HTTP/1.1 clients). */
  writeContinue(): void {
    if (this.continueSent || this.headState === HEAD_SENT || this.ended || this.isAborted) return;
    if (this.request.version === "HTTP/1.0") return;
    this.continueSent = true;
    this.conn.write(CONTINUE);
  }

  /**
   * Sends an interim 1xx response (e.g. 103 Early Hints) before the final one. Ignored
   * for HTTP/1.0 clients. 101 is not allowed: use the server's `onUpgrade`.
   */
  writeInformational(status: number, headers?: ResponseHeaderInit): void {
    if (!Number.isInteger(status) || status < 100 || status > 199 || status === 101) {
      throw usageError(HttpServerErrorType.ResponseState, `invalid informational status ${status}`);
    }
    if (this.headState === HEAD_SENT || this.ended || this.isAborted || this.request.version === "HTTP/1.0") return;
    if (status === 100) {
      if (this.continueSent) return;
      this.continueSent = true;
    }
    const line = statusLine(status);
    const out = Buffer.allocUnsafe(line.length + (headers === undefined ? 0 : allFieldBytes(headers)) + 2);
    let at = copyBytes(out, line, 0);
    if (headers !== undefined) at = writeAllFields(out, at, headers);
    out[at++] = 0x0d;
    out[at] = 0x0a;
    this.conn.write(out);
  }

  /**
   * Sets the listener called each time the socket's buffer drains after `write`
   * returned `false`. One listener per response; a new one replaces the old.
   */
  onDrain(listener: (() => void) | undefined): void {
    this.drainListener = listener;
  }

  /**
   * Sets the listener called once when the response is over: `err` is undefined when it
   * finished, or why it could not (client gone, write timeout, destroyed). It is called
   * with `receiver` as `this` (a method can be passed without binding it).
   */
  onClose<T>(listener: ((this: T, err: ZpError | undefined) => void) | undefined, receiver?: T): void {
    this.closeListener = listener as ((this: unknown, err: ZpError | undefined) => void) | undefined;
    this.closeReceiver = receiver;
  }

  /** Aborts the response and destroys the connection (the client sees a cut-off body). */
  destroy(err?: unknown): void {
    if (this.ended || this.isAborted) return;
    const zerr = err === undefined ? ZpError.explain(ErrorType.ConnectionClosed, "response destroyed") : ZpError.wrap(err);
    this.conn.destroy(zerr, this.request);
  }

  /** @internal The socket drained. */
  drained(): void {
    this.drainListener?.();
  }

  /** @internal The connection failed before the response finished. */
  abort(err: ZpError): void {
    if (this.ended || this.isAborted) return;
    this.isAborted = true;
    const listener = this.closeListener;
    this.closeListener = undefined;
    listener?.call(this.closeReceiver, err);
  }

  /**
   * @internal The server answers in the handler's place (limits, timeouts, handler
   * errors): an empty body and `Connection: close`. Destroys the connection instead if
   * a head was already sent.
   */
  sendError(status: number): void {
    if (this.ended || this.isAborted) return;
    if (this.headState === HEAD_SENT) {
      // the caller reported why; a cut-off body is all the client can be told now
      this.conn.destroy(undefined, this.request);
      return;
    }
    this.status = status;
    this.reason = undefined;
    this.fields = undefined;
    this.trailerFields = undefined;
    this.headState = HEAD_SENT;
    this.closeAfter = true;
    this.conn.write(errorResponse(status, this.conn.serverLine));
    this.finish();
  }

  private finish(): void {
    this.ended = true;
    const listener = this.closeListener;
    this.closeListener = undefined;
    this.conn.responseFinished(this);
    listener?.call(this.closeReceiver, undefined);
  }

  /** Decides the framing, writes the head (with `chunk` when small) and, for `end`, finishes. */
  private sendHead(chunk: Chunk | undefined, len: number, isEnd: boolean): boolean {
    const req = this.request;
    const conn = this.conn;
    const fields = this.fields;
    facts.scan(fields);
    const status = this.status;
    const http10 = req.version === "HTTP/1.0";
    const isHead = req.method === "HEAD";
    let framing = F_NONE;
    let keepLength = true;
    let keepCoding = false;
    let addLength = -1;
    let addChunked = false;
    if (status === 204 || status === 304) {
      keepLength = status === 304;
    } else if (facts.transferEncoding && !http10) {
      framing = F_CHUNKED;
      keepLength = false;
      keepCoding = true;
      addChunked = !facts.chunkedLast;
    } else if (facts.contentLength >= 0) {
      framing = F_LENGTH;
      this.remaining = facts.contentLength;
    } else if (isEnd && this.trailerFields === undefined) {
      framing = F_LENGTH;
      addLength = len;
      this.remaining = len;
    } else if (!http10) {
      framing = F_CHUNKED;
      addChunked = !isHead;
    } else {
      framing = isHead ? F_NONE : F_CLOSE;
    }
    this.framing = framing;
    const bodyAllowed = framing !== F_NONE && !isHead;
    this.bodyAllowed = bodyAllowed;
    if (bodyAllowed && framing === F_LENGTH && len > this.remaining) {
      throw mismatch(`body exceeds Content-Length by ${len - this.remaining} bytes`);
    }
    const close = !req.keepAlive || facts.connectionClose || framing === F_CLOSE || conn.mustClose(req, this.continueSent);
    this.closeAfter = close;
    const connLine = close ? CONNECTION_CLOSE : http10 ? CONNECTION_KEEP_ALIVE : undefined;

    const line = statusLine(status, this.reason);
    const server = facts.hasServer ? undefined : conn.serverLine;
    let headLen =
      line.length +
      facts.plainBytes +
      (keepLength ? facts.lengthBytes : 0) +
      (keepCoding ? facts.codingBytes : 0) +
      (facts.hasDate ? 0 : DATE_LINE_LENGTH) +
      (server === undefined ? 0 : server.length) +
      (connLine === undefined ? 0 : connLine.length) +
      2;
    if (addLength >= 0) headLen += CONTENT_LENGTH.length + decimalLength(addLength) + 2;
    if (addChunked) headLen += CHUNKED.length;

    // What follows the head: body bytes with their framing, and the end of a chunked body.
    const withBody = bodyAllowed && len > 0;
    const copyBody = withBody && len <= COPY_LIMIT;
    const chunked = framing === F_CHUNKED && bodyAllowed;
    let prefixLen = 0; // chunk-size line
    let tailLen = 0; // CRLF after chunk data, and/or the last chunk with trailers
    if (chunked && withBody) {
      prefixLen = hexLength(len) + 2;
      tailLen = 2;
    }
    const trailers = isEnd && chunked ? this.trailerFields : undefined;
    if (isEnd && chunked) tailLen += trailers === undefined ? LAST_CHUNK.length : 5 + allFieldBytes(trailers);

    const inline = !withBody || copyBody; // everything goes in one buffer
    const total = headLen + prefixLen + (inline ? (copyBody ? len : 0) + tailLen : 0);
    const out = Buffer.allocUnsafe(total);
    let at = copyBytes(out, line, 0);
    at = writeFields(out, at, facts, keepLength, keepCoding);
    if (!facts.hasDate) at = copyBytes(out, dateLine(), at);
    if (server !== undefined) at = copyBytes(out, server, at);
    if (addLength >= 0) {
      at = copyBytes(out, CONTENT_LENGTH, at);
      at = putDecimal(out, addLength, at);
      out[at++] = 0x0d;
      out[at++] = 0x0a;
    }
    if (addChunked) at = copyBytes(out, CHUNKED, at);
    if (connLine !== undefined) at = copyBytes(out, connLine, at);
    out[at++] = 0x0d;
    out[at++] = 0x0a;
    if (prefixLen > 0) {
      at = putHex(out, len, at);
      out[at++] = 0x0d;
      out[at++] = 0x0a;
    }
    this.headState = HEAD_SENT;
    if (framing === F_LENGTH && bodyAllowed) this.remaining -= len;

    let ok: boolean;
    if (inline) {
      if (copyBody) {
        at = putChunk(out, chunk!, at, len);
        if (chunked) at = copyBytes(out, CRLF, at);
      }
      if (isEnd && chunked) at = this.putLastChunk(out, at, trailers);
      ok = conn.write(out);
    } else {
      conn.socket.cork();
      conn.write(out);
      conn.write(chunk!);
      if (tailLen > 0) {
        const tail = Buffer.allocUnsafe(tailLen);
        let t = copyBytes(tail, CRLF, 0);
        if (isEnd) t = this.putLastChunk(tail, t, trailers);
        conn.write(tail);
      }
      conn.socket.uncork();
      ok = !conn.socket.writableNeedDrain;
    }
    if (isEnd) {
      if (bodyAllowed && framing === F_LENGTH && this.remaining > 0) {
        conn.destroy(mismatch(`body ended ${this.remaining} bytes short of its Content-Length`), req);
        return false;
      }
      this.finish();
    }
    return ok;
  }

  private putLastChunk(out: Buffer, at: number, trailers: ResponseHeaderInit | undefined): number {
    if (trailers === undefined) return copyBytes(out, LAST_CHUNK, at);
    out[at++] = 0x30;
    out[at++] = 0x0d;
    out[at++] = 0x0a;
    at = writeAllFields(out, at, trailers);
    out[at++] = 0x0d;
    out[at++] = 0x0a;
    return at;
  }

  private writeChunk(chunk: Chunk, len: number): boolean {
    const prefix = hexLength(len) + 2;
    if (len <= COPY_LIMIT) {
      const out = Buffer.allocUnsafe(prefix + len + 2);
      let at = putHex(out, len, 0);
      out[at++] = 0x0d;
      out[at++] = 0x0a;
      at = putChunk(out, chunk, at, len);
      out[at++] = 0x0d;
      out[at] = 0x0a;
      return this.conn.write(out);
    }
    const head = Buffer.allocUnsafe(prefix);
    const at = putHex(head, len, 0);
    head[at] = 0x0d;
    head[at + 1] = 0x0a;
    const socket = this.conn.socket;
    socket.cork();
    this.conn.write(head);
    this.conn.write(chunk);
    this.conn.write(CRLF);
    socket.uncork();
    return !socket.writableNeedDrain;
  }

  private writeLastChunk(chunk: Chunk | undefined, len: number): void {
    const trailers = this.trailerFields;
    if (len === 0 && trailers === undefined) {
      this.conn.write(LAST_CHUNK);
      return;
    }
    if (len > COPY_LIMIT) {
      const socket = this.conn.socket;
      socket.cork();
      this.writeChunk(chunk!, len);
      this.writeLastChunk(undefined, 0);
      socket.uncork();
      return;
    }
    const prefix = len > 0 ? hexLength(len) + 4 : 0;
    const out = Buffer.allocUnsafe(prefix + len + (trailers === undefined ? LAST_CHUNK.length : 5 + allFieldBytes(trailers)));
    let at = 0;
    if (len > 0) {
      at = putHex(out, len, at);
      out[at++] = 0x0d;
      out[at++] = 0x0a;
      at = putChunk(out, chunk!, at, len);
      out[at++] = 0x0d;
      out[at++] = 0x0a;
    }
    this.putLastChunk(out, at, trailers);
    this.conn.write(out);
  }
}
