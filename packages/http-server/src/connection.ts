import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { ErrorType, ZpError, fromSystemError } from "@zp/error";
import { BodyKind, H1Parser, ParseError, ParseErrorCode, type FieldsView, type H1Handler, type H1Head } from "@zp/h1-parser";
import { type AreaReader, type HeaderMap, type ReadArea, BatchedWriter, readAreaOf, setAreaReader } from "@zp/http";
import { errorResponse } from "./error-response.js";
import type { RequestHandler, ResolvedOptions } from "./options.js";
import { statusForParseError } from "./parse-error-status.js";
import { HttpRequest } from "./request.js";
import { RawHead } from "./raw-head.js";
import { fieldsToHeaderMap } from "./fields-to-header-map.js";
import { HttpResponse } from "./response.js";

/** What a connection needs from the server that owns it. */
export interface ConnectionOwner {
  readonly options: ResolvedOptions;
  readonly handler: RequestHandler;
  /** A connection closed or was handed over: forget it. */
  connectionGone(conn: Connection): void;
}

// Connection states.
const OPEN = 0;
const LINGERING = 1; // our side ended; reading and dropping until the client closes
const CLOSED = 2;
const DETACHED = 3; // handed to onUpgrade

// What the read timer measures.
const T_NONE = 0;
const T_HEADER = 1;
const T_IDLE = 2;
const T_BODY = 3;
const T_LINGER = 4;

const EMPTY = Buffer.alloc(0);

/** How long a closing connection keeps draining the client's bytes (avoids a reset losing our response). */
const LINGER_MS = 2000;
/** Body bytes dropped after an early answer before the connection is closed instead. */
const DISCARD_LIMIT = 256 * 1024;

function onReadTimeout(conn: Connection): void {
  conn.readTimedOut();
}

function onWriteTimeout(conn: Connection): void {
  conn.writeTimedOut();
}

/**
 * Whether the target is origin-form without `%` or `#`: the parser has checked its bytes
 * are visible ASCII, so `parseUri` would accept it and the (lazy) parse can wait.
 */
function isPlainOriginForm(head: H1Head): boolean {
  const buf = head.buf;
  const end = head.urlEnd;
  let p = head.urlStart;
  if (buf[p] !== 0x2f) return false;
  for (; p < end; p++) {
    const c = buf[p]!;
    if (c === 0x25 || c === 0x23) return false;
  }
  return true;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/**
 * One client connection: feeds the parser, answers requests strictly in order (request
 * N+1 is dispatched only when response N finished), applies limits and timeouts, and
 * closes gracefully. Internal to the package.
 */
export class Connection implements H1Handler, AreaReader {
  readonly socket: Socket | TLSSocket;
  /** Whether the socket is a TLS socket (read once: sockets are slow to look properties up on). */
  readonly isTls: boolean;
  /** Writes to the socket, held until the end of the event-loop turn (see BatchedWriter). */
  private readonly out: BatchedWriter;
  /** Body bytes parsed but not yet delivered (pipelined or paused requests). */
  bufferedBytes = 0;
  /** The `Server` line added to responses (empty when none). */
  readonly serverLine: Buffer;
  /** The client's address and port, read from the socket once (null: not yet). */
  private peerAddress: string | undefined | null = null;
  private peerPort: number | undefined = undefined;

  private readonly owner: ConnectionOwner;
  private readonly opts: ResolvedOptions;
  private readonly parser: H1Parser;
  private state = OPEN;
  private active: HttpRequest | null = null;
  private activeResponse: HttpResponse | null = null;
  private readonly queue: HttpRequest[] = [];
  private receiving: HttpRequest | null = null;
  private pendingTrailers: HeaderMap | undefined = undefined;
  /** The read being parsed (request heads found in it keep their bytes there). */
  private chunk: Buffer = EMPTY;
  /** Set once no more requests are parsed (error, upgrade, closing). */
  private parseStopped = false;
  /** Answer to send once the queue is done: -1 none, 0 close silently, else a status. */
  private failureStatus = -1;
  private closeWhenDone = false;
  private draining = false;
  private peerEnded = false;
  private requestCount = 0;
  private pumping = false;
  private socketPaused = false;
  private readTimer = 0;
  private readKind = T_NONE;
  /** Reads so far; the idle timer checks it instead of being re-armed per request. */
  private activity = 0;
  private activityMark = 0;
  private bodyProgress = 0;
  private bodyMark = 0;
  private writeTimer = 0;
  private discarded = 0;

  /** The read buffer the socket reads into, when it reads through one: what outlives a read is kept with `keep`. */
  private readonly readArea: ReadArea | undefined;
  private readonly onDataBound: (chunk: Buffer) => void;
  private readonly onEndBound: () => void;
  private readonly onErrorBound: (err: Error) => void;
  private readonly onCloseBound: () => void;
  private readonly onDrainBound: () => void;
  private readonly onFinishBound: () => void;

  constructor(owner: ConnectionOwner, socket: Socket | TLSSocket) {
    this.owner = owner;
    this.opts = owner.options;
    this.socket = socket;
    this.isTls = (socket as Partial<TLSSocket>).encrypted === true;
    this.out = new BatchedWriter(socket);
    this.serverLine = this.opts.serverLine;
    this.parser = new H1Parser("request", this, {
      maxHeaderBytes: this.opts.maxHeaderBytes,
      maxHeaders: this.opts.maxHeaders,
      maxUrlLength: this.opts.maxUrlLength,
    });
    this.readArea = readAreaOf(socket);
    this.onDataBound = (chunk) => this.onData(chunk);
    this.onEndBound = () => this.onEnd();
    this.onErrorBound = (err) => this.onSocketError(err);
    this.onCloseBound = () => this.teardown(undefined);
    this.onDrainBound = () => this.onDrain();
    this.onFinishBound = () => this.onFinish();
  }

  /** Attaches to the socket and processes bytes already read from it. */
  start(initialBytes: Buffer | undefined): void {
    const socket = this.socket;
    socket.on("error", this.onErrorBound);
    socket.on("close", this.onCloseBound);
    socket.on("end", this.onEndBound);
    socket.on("drain", this.onDrainBound);
    socket.on("finish", this.onFinishBound);
    if (initialBytes !== undefined && initialBytes.length > 0) this.onData(initialBytes);
    if (this.state === OPEN) {
      if (this.readArea !== undefined) setAreaReader(socket, this);
      else socket.on("data", this.onDataBound);
      this.sync();
    }
  }

  // ---- reading --------------------------------------------------------------------------

  /** @internal {@link AreaReader}: a read of an adopted socket. */
  onAreaData(area: Buffer, length: number): void {
    this.onData(area, length);
  }

  /** Bytes `0..length` of `chunk` arrived (the whole chunk, unless it is a read area). */
  private onData(chunk: Buffer, length: number = chunk.length): void {
    if (this.parseStopped) return; // lingering, failed or upgrading: bytes are dropped
    this.activity++;
    let next = length;
    this.chunk = chunk;
    try {
      next = this.parser.execute(chunk, 0, length);
    } catch (err) {
      this.parseFailed(err);
    }
    this.chunk = EMPTY; // requests that need it captured it; an idle connection holds no read
    if (!this.parseStopped && this.parser.isUpgraded) this.upgraded(chunk, next, length);
    this.pump();
    this.sync();
  }

  /** @internal Parser callback: a request head. */
  onHeaders(head: H1Head): boolean | void {
    if (this.parseStopped) return;
    if (this.readKind === T_HEADER) this.clearReadTimer();
    const kind = head.bodyKind;
    const contentLength = kind === BodyKind.Length ? head.contentLength : kind === BodyKind.Chunked ? -1 : 0;
    const req = new HttpRequest(
      this,
      head.method,
      head.versionMinor === 0 ? "HTTP/1.0" : "HTTP/1.1",
      RawHead.capture(head, this.chunk, this.readArea !== undefined),
      contentLength,
      head.shouldKeepAlive,
      head.expectContinue,
      head.upgrade,
    );
    let reject = 0;
    let why = "";
    if (head.versionMajor !== 1) {
      reject = 505;
      why = "unsupported HTTP version";
    } else if (contentLength > this.opts.maxBodySize) {
      reject = 413;
      why = `Content-Length ${contentLength} above maxBodySize`;
    } else if (!isPlainOriginForm(head)) {
      try {
        void req.head.target; // refuse now what the target parser would refuse later
      } catch (err) {
        reject = 400;
        why = err instanceof ZpError ? err.describe() : "invalid request-target";
      }
    }
    if (reject !== 0) {
      req.rejectStatus = reject;
      this.parseStopped = true;
      this.report(new ZpError(ErrorType.HTTPStatus(reject), { context: why, source: "Downstream" }), req);
    } else {
      if (kind !== BodyKind.None) this.receiving = req;
      if (head.upgrade && kind === BodyKind.None && this.opts.onUpgrade !== undefined) req.handOff = true;
    }
    this.queue.push(req);
  }

  /** @internal Parser callback: a piece of body (a view of the socket's chunk). */
  onBody(buf: Uint8Array, start: number, end: number): void {
    if (this.parseStopped) return;
    const req = this.receiving!;
    const n = end - start;
    this.bodyProgress++;
    req.bodyBytesReceived += n;
    if (req.bodyBytesReceived > this.opts.maxBodySize) {
      this.failReceiving(req, 413, new ZpError(ErrorType.HTTPStatus(413), { context: "request body above maxBodySize", source: "Downstream" }));
      return;
    }
    if (req.discardingBody) {
      this.discarded += n;
      if (this.discarded > DISCARD_LIMIT) {
        this.receiving = null;
        this.failureStatus = 0;
        this.parseStopped = true;
      }
      return;
    }
    const chunk = buf as Buffer;
    const area = this.readArea;
    // the read buffer is reused: what is kept is copied (or the area retained, when it is the socket's own)
    if (area !== undefined) req.pushBody(area.keep(chunk, start, end));
    else req.pushBody(start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end));
  }

  /** @internal Parser callback: trailer fields of a chunked body. */
  onTrailers(fields: FieldsView): void {
    if (this.parseStopped) return;
    this.pendingTrailers = fieldsToHeaderMap(fields);
  }

  /** @internal Parser callback: a message ended. */
  onMessageComplete(): void {
    if (this.parseStopped) return;
    const req = this.receiving;
    if (req === null) return;
    this.receiving = null;
    const trailers = this.pendingTrailers;
    this.pendingTrailers = undefined;
    req.completeBody(trailers);
  }

  private upgraded(chunk: Buffer, next: number, length: number): void {
    this.parseStopped = true; // the rest of the stream is not HTTP/1
    const last = this.queue.length > 0 ? this.queue[this.queue.length - 1]! : null;
    if (last === null || !last.handOff) return;
    const area = this.readArea;
    last.upgradeHead = area !== undefined ? area.keep(chunk, next, length) : chunk.subarray(next, length);
  }

  private parseFailed(err: unknown): void {
    if (!(err instanceof ParseError)) {
      // A body callback of the application threw inside the parser: parsing cannot go on.
      this.parseStopped = true;
      const res = this.activeResponse;
      if (res !== null) this.handlerFailed(res, err);
      else this.destroy(ZpError.wrap(err, ErrorType.InternalError, "reading a request body"));
      return;
    }
    if (this.parseStopped) return;
    const status = statusForParseError(err.code);
    const zerr =
      err.code === ParseErrorCode.UnexpectedEof
        ? new ZpError(ErrorType.ConnectionClosed, { cause: err, source: "Downstream", context: "the client closed mid-request" })
        : new ZpError(ErrorType.H1Error, { cause: err, source: "Downstream", context: "parsing a request" });
    const req = this.receiving;
    if (status !== 0) this.report(zerr, req ?? undefined);
    if (req !== null) this.failReceiving(req, status, zerr);
    else {
      this.parseStopped = true;
      this.failureStatus = status;
    }
  }

  /** The body being received cannot complete: tell its reader, answer `status` if possible. */
  private failReceiving(req: HttpRequest, status: number, err: ZpError): void {
    this.parseStopped = true;
    this.receiving = null;
    if (status === 413 || status === 408) this.report(err, req);
    req.failBody(err);
    if (req === this.active) {
      const res = this.activeResponse!;
      if (status > 0 && !res.headersSent) res.sendError(status);
      else this.closeWhenDone = true;
    } else if (this.queue.indexOf(req) !== -1) {
      req.rejectStatus = status > 0 ? status : -1;
    } else {
      this.failureStatus = 0; // its answer went out already: just close
    }
  }

  /** Pauses or resumes the socket and arms the read timer that fits the state. */
  sync(): void {
    if (this.state !== OPEN) return;
    const read = this.shouldRead();
    if (read === this.socketPaused) {
      this.socketPaused = !read;
      if (read) this.socket.resume();
      else this.socket.pause();
    }
    const kind = read ? this.wantedReadTimer() : T_NONE;
    // An armed idle timer stays armed while a request is served: it checks on firing
    // whether the connection was active meanwhile. Re-arming per request costs more.
    if (kind !== this.readKind && (kind !== T_NONE || this.readKind !== T_IDLE)) this.setReadTimer(kind);
  }

  /** The read timer the state calls for while the socket is read. */
  private wantedReadTimer(): number {
    if (this.receiving !== null) return T_BODY;
    if (!this.parser.isIdle) return T_HEADER;
    if (this.active === null && this.queue.length === 0) return this.requestCount === 0 ? T_HEADER : T_IDLE;
    return T_NONE;
  }

  private shouldRead(): boolean {
    if (this.parseStopped) return false;
    if (this.bufferedBytes > this.opts.maxBufferedBytes) return false;
    if (this.queue.length >= this.opts.maxPipelinedRequests) return false;
    const r = this.receiving;
    return r === null || !r.holdsBack;
  }

  private onEnd(): void {
    this.peerEnded = true;
    if (this.state === LINGERING) {
      this.socket.destroy();
      return;
    }
    if (this.state !== OPEN) return;
    if (!this.parseStopped) {
      try {
        this.parser.finish();
      } catch (err) {
        this.parseFailed(err);
      }
    }
    this.pump();
    this.sync();
  }

  // ---- dispatching ----------------------------------------------------------------------

  /** Dispatches queued requests while none is being answered. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    while (this.state === OPEN && this.active === null) {
      const req = this.queue.shift();
      if (req === undefined) {
        if (this.parseStopped || this.peerEnded) this.finishConnection();
        break;
      }
      this.dispatch(req);
    }
    this.pumping = false;
  }

  private dispatch(req: HttpRequest): void {
    this.requestCount++;
    const res = new HttpResponse(this, req);
    this.active = req;
    this.activeResponse = res;
    if (req.rejectStatus !== 0) {
      if (req.rejectStatus > 0) res.sendError(req.rejectStatus);
      else {
        this.active = this.activeResponse = null;
        this.linger();
      }
      return;
    }
    if (req.handOff) {
      this.handOff(req);
      return;
    }
    let result: void | Promise<void>;
    try {
      result = this.owner.handler(req, res);
    } catch (err) {
      this.handlerFailed(res, err);
      return;
    }
    if (isThenable(result)) result.then(undefined, (err: unknown) => this.handlerFailed(res, err));
  }

  /** Nothing left to answer after an error, an upgrade or the client's FIN: say why and close. */
  private finishConnection(): void {
    const status = this.failureStatus;
    if (status > 0 && !this.peerEnded) this.write(errorResponse(status, this.serverLine));
    this.linger();
  }

  private handlerFailed(res: HttpResponse, err: unknown): void {
    const zerr = ZpError.wrap(err, ErrorType.InternalError, "request handler");
    this.report(zerr, res.request);
    if (res.finished || res.aborted) return;
    const status = zerr.type.status;
    res.sendError(status !== undefined && status >= 400 && status <= 599 ? status : 500);
  }

  private handOff(req: HttpRequest): void {
    this.state = DETACHED;
    this.parseStopped = true;
    this.clearReadTimer();
    this.clearWriteTimer();
    const socket = this.socket;
    this.out.flush();
    socket.pause();
    socket.off("data", this.onDataBound);
    if (this.readArea !== undefined) setAreaReader(socket, undefined);
    socket.off("end", this.onEndBound);
    socket.off("error", this.onErrorBound);
    socket.off("close", this.onCloseBound);
    socket.off("drain", this.onDrainBound);
    socket.off("finish", this.onFinishBound);
    // As if nobody had ever read: the new owner's first `data` listener starts the flow.
    (socket as { readableFlowing: boolean | null }).readableFlowing = null;
    this.owner.connectionGone(this);
    const fail = (err: unknown): void => {
      this.report(ZpError.wrap(err, ErrorType.InternalError, "upgrade handler"), req);
      socket.destroy();
    };
    try {
      const result = this.opts.onUpgrade!(req, socket, req.upgradeHead);
      if (isThenable(result)) result.then(undefined, fail);
    } catch (err) {
      fail(err);
    }
  }

  /**
   * @internal Whether the response to `req` must announce `Connection: close`.
   * `continued`: whether 100 Continue was sent.
   */
  mustClose(req: HttpRequest, continued: boolean): boolean {
    return (
      this.draining ||
      this.peerEnded ||
      this.closeWhenDone ||
      req.upgrade ||
      this.requestCount >= this.opts.maxRequestsPerConnection ||
      (req.receiving && this.leavesBodyUnread(req, continued))
    );
  }

  /**
   * Whether answering `req` now leaves a body the connection cannot skip: the client may
   * be waiting for 100 Continue (and never send it), or too much of it is still to come.
   */
  private leavesBodyUnread(req: HttpRequest, continued: boolean): boolean {
    if (req.expectContinue && !continued && req.bodyBytesReceived === 0) return true;
    return req.contentLength - req.bodyBytesReceived > DISCARD_LIMIT;
  }

  /** @internal A response finished: close, or move on to the next request. */
  responseFinished(res: HttpResponse): void {
    if (this.activeResponse !== res) return;
    const req = res.request;
    this.active = null;
    this.activeResponse = null;
    if (this.state !== OPEN) return;
    if (res.willClose || this.draining || this.closeWhenDone) {
      this.linger();
      return;
    }
    if (req.receiving) {
      // Answered before the body arrived: drop the rest, unless the client may be waiting
      // for 100 Continue (it may never send the body) or much is still to come.
      if (this.leavesBodyUnread(req, res.continued)) {
        this.linger();
        return;
      }
      req.discard();
      this.discarded = 0;
    }
    if (!this.pumping) {
      this.pump();
      this.sync();
    }
  }

  /** @internal The application started reading a body: send 100 Continue if it is awaited. */
  bodyReadStarted(req: HttpRequest): void {
    const res = this.activeResponse;
    if (!this.opts.autoContinue || !req.expectContinue || req !== this.active || res === null) return;
    if (req.receiving && req.bodyBytesReceived === 0) res.writeContinue();
  }

  /** The client's address (undefined once the socket is gone before anyone asked). */
  get remoteAddress(): string | undefined {
    if (this.peerAddress === null) this.readPeer();
    return this.peerAddress!;
  }

  /** The client's port (undefined once the socket is gone before anyone asked). */
  get remotePort(): number | undefined {
    if (this.peerAddress === null) this.readPeer();
    return this.peerPort;
  }

  private readPeer(): void {
    const socket = this.socket;
    this.peerAddress = socket.remoteAddress;
    this.peerPort = socket.remotePort;
  }

  // ---- writing --------------------------------------------------------------------------

  /** @internal Writes to the socket; arms the write timeout when its buffer is full. */
  write(data: Uint8Array | string): boolean {
    if (this.state !== OPEN) return false;
    const ok = this.out.write(data);
    if (!ok && this.writeTimer === 0) this.writeTimer = this.opts.wheel.arm(this.opts.writeTimeout, onWriteTimeout, this);
    return ok;
  }

  private onDrain(): void {
    this.clearWriteTimer();
    this.activeResponse?.drained();
  }

  /** @internal The write buffer did not drain in time: the client is not reading. */
  writeTimedOut(): void {
    this.writeTimer = 0;
    if (this.state === CLOSED || this.state === DETACHED) return;
    this.destroy(ZpError.explain(ErrorType.WriteTimeout, "the client did not read the response").asDownstream(), this.active ?? undefined);
  }

  // ---- timers ---------------------------------------------------------------------------

  private setReadTimer(kind: number): void {
    if (this.readTimer !== 0) {
      this.opts.wheel.cancel(this.readTimer);
      this.readTimer = 0;
    }
    this.readKind = kind;
    let ms: number;
    switch (kind) {
      case T_HEADER:
        ms = this.opts.headerTimeout;
        break;
      case T_IDLE:
        ms = this.opts.keepAliveTimeout;
        this.activityMark = this.activity;
        break;
      case T_BODY:
        ms = this.opts.bodyTimeout;
        this.bodyMark = this.bodyProgress;
        break;
      case T_LINGER:
        ms = LINGER_MS;
        break;
      default:
        return;
    }
    this.readTimer = this.opts.wheel.arm(ms, onReadTimeout, this);
  }

  private clearReadTimer(): void {
    if (this.readTimer !== 0) {
      this.opts.wheel.cancel(this.readTimer);
      this.readTimer = 0;
    }
    this.readKind = T_NONE;
  }

  private clearWriteTimer(): void {
    if (this.writeTimer !== 0) {
      this.opts.wheel.cancel(this.writeTimer);
      this.writeTimer = 0;
    }
  }

  /** @internal The read timer fired. */
  readTimedOut(): void {
    const kind = this.readKind;
    this.readTimer = 0;
    this.readKind = T_NONE;
    if (this.state === LINGERING) {
      this.socket.destroy();
      return;
    }
    if (this.state !== OPEN) return;
    switch (kind) {
      case T_IDLE: {
        const want = this.shouldRead() ? this.wantedReadTimer() : T_NONE;
        if (want !== T_IDLE) break; // busy now: sync() arms what fits
        if (this.activity !== this.activityMark) {
          this.setReadTimer(T_IDLE); // a request came and went meanwhile: wait a full period
          return;
        }
        this.socket.destroy();
        return;
      }
      case T_HEADER:
        if (this.parser.isIdle) {
          // not one byte of a request yet: nothing to answer
          this.socket.destroy();
          return;
        }
        this.parseStopped = true;
        this.failureStatus = 408;
        this.report(ZpError.explain(ErrorType.ReadTimeout, "reading the request head").asDownstream(), undefined);
        break;
      case T_BODY: {
        if (this.bodyProgress !== this.bodyMark) {
          this.setReadTimer(T_BODY); // bytes came in since the timer was armed
          return;
        }
        const req = this.receiving;
        if (req === null) return;
        this.failReceiving(req, 408, ZpError.explain(ErrorType.ReadTimeout, "reading the request body").asDownstream());
        break;
      }
      default:
        return;
    }
    this.pump();
    this.sync();
  }

  // ---- closing --------------------------------------------------------------------------

  /**
   * Ends our side after the last response and keeps reading (and dropping) for a while:
   * closing a socket with unread bytes makes the kernel send a reset, which can destroy
   * the response before the client has read it.
   */
  private linger(): void {
    if (this.state !== OPEN) return;
    this.state = LINGERING;
    this.parseStopped = true;
    this.queue.length = 0;
    this.clearReadTimer();
    this.out.flush();
    this.socket.end();
    // a client that does not read would otherwise keep the unflushed rest here forever
    if (this.socket.writableLength > 0 && this.writeTimer === 0) {
      this.writeTimer = this.opts.wheel.arm(this.opts.writeTimeout, onWriteTimeout, this);
    }
    if (this.socketPaused) {
      this.socketPaused = false;
      this.socket.resume();
    }
  }

  private onFinish(): void {
    // everything we wrote is flushed: give the client a moment to close first
    if (this.state === LINGERING && this.readTimer === 0) this.setReadTimer(T_LINGER);
  }

  /** Graceful shutdown: idle connections close now, busy ones after their response. */
  shutdown(): void {
    if (this.state !== OPEN) return;
    this.draining = true;
    if (this.active === null && this.queue.length === 0 && this.receiving === null) this.linger();
  }

  /** Destroys the connection; `err` (if any) is reported and passed to the aborted response. */
  destroy(err: ZpError | undefined, req?: HttpRequest): void {
    if (this.state === CLOSED || this.state === DETACHED) return;
    if (err !== undefined) this.report(err, req ?? this.active ?? undefined);
    this.teardown(err);
    this.out.flush(); // what was written this turn still goes out before the close
    this.socket.destroy();
  }

  private onSocketError(err: Error): void {
    if (this.state === CLOSED || this.state === DETACHED) return;
    const zerr = fromSystemError(err, "io", "client connection").asDownstream();
    this.report(zerr, this.active ?? undefined);
    this.teardown(zerr);
  }

  /** Fails whatever is in flight and forgets the connection (idempotent). */
  private teardown(err: ZpError | undefined): void {
    if (this.state === CLOSED || this.state === DETACHED) return;
    this.state = CLOSED;
    this.parseStopped = true;
    this.clearReadTimer();
    this.clearWriteTimer();
    const why = err ?? ZpError.explain(ErrorType.ConnectionClosed, "the client connection closed").asDownstream();
    const receiving = this.receiving;
    this.receiving = null;
    receiving?.failBody(why);
    const active = this.active;
    if (active !== null && active !== receiving && active.receiving) active.failBody(why);
    const res = this.activeResponse;
    this.active = null;
    this.activeResponse = null;
    this.queue.length = 0;
    res?.abort(why);
    this.owner.connectionGone(this);
  }

  private report(err: ZpError, req: HttpRequest | undefined): void {
    const hook = this.opts.onError;
    if (hook === undefined) return;
    try {
      hook(err, req);
    } catch {
      // a logging hook must not take the server down
    }
  }
}
