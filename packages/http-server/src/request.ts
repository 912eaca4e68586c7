import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { ZpError } from "@zp/error";
import { RequestHeader, type HeaderMap, type Method, type Uri, type Version } from "@zp/http";
import { BodyCollector } from "./body-collector.js";
import { BodyIterator } from "./body-iterator.js";
import type { BodySink } from "./body-sink.js";
import type { Connection } from "./connection.js";
import type { RawHead } from "./raw-head.js";
import { HttpServerErrorType, usageError } from "./server-error.js";

// Where the body stands on the wire.
const RECEIVING = 0;
const COMPLETE = 1;
const FAILED = 2;

const EMPTY = Buffer.alloc(0);

/** Default limit of {@link HttpRequest.readBody}. */
const DEFAULT_READ_LIMIT = 1024 * 1024;

/** A sink that drops everything: the body of a request whose answer is already sent. */
const DISCARD: BodySink = { onData() {}, onEnd() {}, onError() {} };

/**
 * A request received by an {@link HttpServer}: its head, addresses, and its body as a
 * stream with backpressure.
 *
 * The body can be read once, in one of three ways:
 * - {@link HttpRequest.setBodySink}: push callbacks plus {@link HttpRequest.pause} /
 *   {@link HttpRequest.resume} (the proxy's data path; no promise per chunk);
 * - `for await (const chunk of req)`;
 * - {@link HttpRequest.readBody} for the whole body in one Buffer.
 *
 * Until one starts, body bytes wait in the connection (at most `maxBufferedBytes`, then
 * the socket is paused). Reading also sends `100 Continue` when the client asked for it.
 */
export class HttpRequest implements AsyncIterable<Buffer> {
  /** The method, e.g. `GET`. */
  readonly method: Method;
  /** `HTTP/1.0` or `HTTP/1.1`. */
  readonly version: Version;
  /** Whether the client sent `Expect: 100-continue`. */
  readonly expectContinue: boolean;
  /** Whether the client wants to keep the connection open after this exchange. */
  readonly keepAlive: boolean;
  /** The declared body length: `Content-Length`, 0 without a body, -1 for a chunked body. */
  readonly contentLength: number;
  /**
   * Whether this request switches protocol (CONNECT, or `Connection: upgrade` with
   * `Upgrade`). Such a request reaches the handler only when no `onUpgrade` is set (or
   * it has a body); the connection then closes after the response.
   */
  readonly upgrade: boolean;
  /** Trailer fields of a chunked body, once it is complete. */
  trailers: HeaderMap | undefined = undefined;
  /** Body bytes received so far. */
  bodyBytesReceived = 0;

  /** @internal */
  readonly conn: Connection;
  /** @internal A status to answer with instead of calling the handler (set by limits). */
  rejectStatus = 0;
  /** @internal Bytes after the head of an upgrade request. */
  upgradeHead: Buffer = EMPTY;
  /** @internal Whether the connection goes to `onUpgrade`. */
  handOff = false;

  private raw: RawHead | undefined;
  private rawUrl: string | undefined = undefined;
  private built: RequestHeader | undefined = undefined;
  private state = RECEIVING;
  private sink: BodySink | null = null;
  private paused = false;
  private flushing = false;
  private endDelivered = false;
  private error: ZpError | undefined = undefined;
  /** Body pieces waiting for a reader (made when first needed). */
  private pieces: Buffer[] | null = null;
  private pieceHead = 0;
  private discarding = false;

  /** @internal Made by the connection when a head is parsed. */
  constructor(
    conn: Connection,
    method: Method,
    version: Version,
    raw: RawHead,
    contentLength: number,
    keepAlive: boolean,
    expectContinue: boolean,
    upgrade: boolean,
  ) {
    this.conn = conn;
    this.method = method;
    this.version = version;
    this.raw = raw;
    this.contentLength = contentLength;
    this.keepAlive = keepAlive;
    this.expectContinue = expectContinue;
    this.upgrade = upgrade;
    if (contentLength === 0) this.state = COMPLETE;
  }

  /**
   * The request head as a {@link RequestHeader} (method, target, version, fields with
   * their case kept): what a proxy edits and forwards. Made on first use.
   */
  get head(): RequestHeader {
    let head = this.built;
    if (head === undefined) {
      head = RequestHeader.unchecked(this.method, this.url, this.version, this.raw!.headers());
      this.built = head;
      this.raw = undefined;
    }
    return head;
  }

  /**
   * A copy of the request head that the caller owns (what a proxy edits and forwards): made
   * straight from the parsed bytes while {@link head} was never asked for (no second map to
   * build and clone), else a clone of {@link head} with its edits.
   */
  headCopy(): RequestHeader {
    const built = this.built;
    if (built !== undefined) return built.clone();
    return RequestHeader.unchecked(this.method, this.url, this.version, this.raw!.headers());
  }

  /** The request-target as received, e.g. `/search?q=1` (the head's, once it was made). */
  get url(): string {
    if (this.built !== undefined) return this.built.uri;
    let url = this.rawUrl;
    if (url === undefined) {
      url = this.raw!.url();
      this.rawUrl = url;
    }
    return url;
  }

  /** The parsed request-target (origin-, absolute-, authority- or asterisk-form). */
  get target(): Uri {
    return this.head.target;
  }

  /** The header fields in wire order; lookups ignore case. */
  get headers(): HeaderMap {
    return this.head.headers;
  }

  /** Whether the request came over TLS. */
  get isTls(): boolean {
    return this.conn.isTls;
  }

  /** The connection's socket (a `TLSSocket` behind TLS). Read its properties; do not read from or write to it. */
  get socket(): Socket | TLSSocket {
    return this.conn.socket;
  }

  /** The client's address. */
  get remoteAddress(): string | undefined {
    return this.conn.remoteAddress;
  }

  /** The client's port. */
  get remotePort(): number | undefined {
    return this.conn.remotePort;
  }

  /** The local address the request arrived on. */
  get localAddress(): string | undefined {
    return this.conn.socket.localAddress;
  }

  /** The local port the request arrived on. */
  get localPort(): number | undefined {
    return this.conn.socket.localPort;
  }

  /** Whether the request has a body still to come or unread. */
  get hasBody(): boolean {
    return this.contentLength !== 0;
  }

  /** Whether the whole body has arrived (it may still wait to be read). */
  get bodyComplete(): boolean {
    return this.state === COMPLETE;
  }

  /** Whether {@link HttpRequest.pause} holds the body back. */
  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Starts delivering the body to `sink` (see {@link BodySink} for the validity rule of
   * chunks). Bytes already buffered, and the end if it already arrived, are delivered
   * synchronously from this call.
   */
  setBodySink(sink: BodySink): void {
    if (this.sink !== null) throw usageError(HttpServerErrorType.ResponseState, "the request body is already being read");
    this.sink = sink;
    this.conn.bodyReadStarted(this);
    this.flush();
  }

  /** Stops body delivery and, once the socket buffer is used up, reading from the socket. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.conn.sync();
  }

  /** Resumes body delivery (buffered chunks first, synchronously) and reading. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.flush();
    this.conn.sync();
  }

  /**
   * The whole body in one Buffer. Rejects with a `HTTPStatus(413)` ZpError past `limit`
   * bytes (default 1 MiB); a handler that lets it propagate answers 413.
   */
  readBody(limit = DEFAULT_READ_LIMIT): Promise<Buffer> {
    return new Promise((resolve, reject) => this.setBodySink(new BodyCollector(limit, resolve, reject)));
  }

  /** The body as an async iterator of chunks (each valid until the next step). */
  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return new BodyIterator(this);
  }

  /** @internal Whether the app holds the body back (the connection then stops reading). */
  get holdsBack(): boolean {
    return this.paused && this.state === RECEIVING;
  }

  /** @internal Whether more body is expected from the wire. */
  get receiving(): boolean {
    return this.state === RECEIVING;
  }

  /** @internal Whether the body is being dropped (the answer went out before it arrived). */
  get discardingBody(): boolean {
    return this.discarding;
  }

  /** @internal A piece of body from the parser. */
  pushBody(piece: Buffer): void {
    if (this.discarding) return;
    const sink = this.sink;
    const pieces = this.pieces;
    if (sink !== null && !this.paused && !this.flushing && (pieces === null || this.pieceHead === pieces.length)) {
      sink.onData(piece);
      return;
    }
    if (pieces === null) this.pieces = [piece];
    else pieces.push(piece);
    this.conn.bufferedBytes += piece.length;
  }

  /** @internal The body ended on the wire. */
  completeBody(trailers: HeaderMap | undefined): void {
    if (this.state !== RECEIVING) return;
    this.state = COMPLETE;
    this.trailers = trailers;
    this.deliverEnd();
  }

  /** @internal The body cannot complete. */
  failBody(err: ZpError): void {
    if (this.state !== RECEIVING) return;
    this.state = FAILED;
    this.error = err;
    this.dropPieces();
    const sink = this.sink;
    if (sink !== null && !this.discarding && !this.endDelivered) {
      this.endDelivered = true;
      sink.onError(err);
    }
  }

  /** @internal The answer was sent without reading the body: drop what comes. */
  discard(): void {
    this.discarding = true;
    this.sink = DISCARD;
    this.paused = false;
    this.dropPieces();
  }

  private dropPieces(): void {
    const pieces = this.pieces;
    if (pieces === null) return;
    let dropped = 0;
    for (let i = this.pieceHead; i < pieces.length; i++) dropped += pieces[i]!.length;
    this.conn.bufferedBytes -= dropped;
    pieces.length = 0;
    this.pieceHead = 0;
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    const pieces = this.pieces;
    if (pieces !== null) {
      while (this.sink !== null && !this.paused && this.pieceHead < pieces.length) {
        const piece = pieces[this.pieceHead]!;
        pieces[this.pieceHead++] = EMPTY;
        this.conn.bufferedBytes -= piece.length;
        this.sink.onData(piece);
      }
      if (this.pieceHead === pieces.length) {
        pieces.length = 0;
        this.pieceHead = 0;
      }
    }
    this.flushing = false;
    if (this.state === COMPLETE) this.deliverEnd();
    else if (this.state === FAILED && this.sink !== null && this.error !== undefined && !this.endDelivered) {
      this.endDelivered = true;
      this.sink.onError(this.error);
    }
  }

  private deliverEnd(): void {
    const sink = this.sink;
    if (sink === null || this.paused || this.flushing || this.endDelivered) return;
    if (this.pieces !== null && this.pieceHead < this.pieces.length) return;
    this.endDelivered = true;
    sink.onEnd(this.trailers);
  }
}
