import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { ErrorType, ZpError } from "@zp/error";
import { BodyKind, H1Parser, ParseError, type FieldsView, type H1Head, type H1ParserOptions } from "@zp/h1-parser";
import { type AreaReader, hasListToken, type HeaderMap, type ReadArea, type RequestHeader, type ResponseHeader, readAreaOf, setAreaReader } from "@zp/http";
import type { IdleWatcher } from "@zp/pool";
import type { TimerWheel } from "@zp/timeout";
import { BodyDelivery, type DeliveryHost } from "./body-delivery.js";
import { BodyIterator } from "./body-iterator.js";
import type { BodySink } from "./body-sink.js";
import { ExchangeTimers, type TimerHost } from "./exchange-timers.js";
import { bodyTooLargeError, closedError, misuseError, readTimeoutError, responseParseError, socketError, totalTimeoutError } from "./client-errors.js";
import { keepAliveTimeoutSeconds, pooledIdleMs } from "./keep-alive.js";
import type { BodyLength } from "./request-framing.js";
import { RequestWriter, type WriterHost } from "./request-writer.js";
import { toHeaderMap, toResponseHeader } from "./response-head.js";
import { bindSocket, unbindSocket, type SocketOwner } from "./socket-binding.js";
import type { ResolvedTimeouts } from "./timeouts.js";

// Where the exchange is, on the response side.
const R_IDLE = 0; // no request outstanding
const R_HEAD = 1; // request started, final head awaited
const R_BODY = 2; // final head received, body arriving
const R_DONE = 3; // response complete
const R_UPGRADED = 4; // switched protocol: the socket is the caller's to take
const R_FAILED = 5; // an error ended the exchange
const R_CLOSED = 6; // closed, or handed over

/** What a connection reports back to when it is released (the {@link Connector} that made it). */
export interface ConnectionOwner {
  /** Takes back a connection whose exchange ended cleanly; `idleMs` is how long it may stay idle. */
  takeBack(conn: ClientConnection, idleMs: number): void;
}

/** How a connection is set up (filled in by the {@link Connector}). */
export interface ConnectionSetup {
  socket: Socket;
  key: string;
  timeouts: ResolvedTimeouts;
  wheel: TimerWheel;
  owner: ConnectionOwner | undefined;
  parserOptions: H1ParserOptions;
  maxBodySize: number;
  keepAliveMarginMs: number;
}

/** What an upgraded connection hands back: the socket and the bytes read past the 101 head. */
export interface UpgradedConnection {
  /** The socket, paused, with no listener of the client left on it. */
  socket: Socket;
  /** Bytes of the new protocol that arrived with the response head (possibly empty). */
  head: Buffer;
}

/** Who gets the response head through {@link ClientConnection.awaitResponseHeader} (no promise). */
export interface ResponseHeadReceiver {
  /** The final response head (a 101 included). */
  onResponseHead(head: ResponseHeader): void;
  /** The exchange failed before a final head arrived (or the call was a misuse). */
  onResponseHeadFailed(err: ZpError): void;
}

/** Who gets interim (1xx other than 101) response heads: {@link ClientConnection.interimReceiver}. */
export interface InterimReceiver {
  onInterimHead(head: ResponseHeader): void;
}

/** What {@link ClientConnection.awaitContinue} saw first. */
export type ContinueOutcome = "continue" | "final" | "timeout";

/**
 * One HTTP/1.1 connection to an upstream, carrying one exchange at a time: the low-level
 * API the proxy drives (in the manner of an HTTP/1 client session).
 *
 * An exchange: {@link writeRequestHeader} (framing decided from the head), body through
 * {@link writeBody} / {@link waitDrain} / {@link finishBody}, then {@link readResponseHeader}
 * and the body through {@link setBodySink} (push, with {@link pause}/{@link resume}) or
 * {@link body} (an async iterator). {@link release} then returns the connection to its pool
 * when the exchange allows reuse, and closes it otherwise.
 *
 * Errors are `ZpError`s from the upstream side. One that happens before any response byte
 * carries `RetryType.ReusedOnly` (on a reused connection the upstream may have closed it while
 * idle, so the request may be sent again on a fresh one); later ones `Decided(false)`.
 */
export class ClientConnection implements SocketOwner, AreaReader, WriterHost, DeliveryHost, TimerHost {
  /** The transport (a `TLSSocket` for TLS peers). */
  readonly socket: Socket;
  /** The pool key of the peer this connection belongs to. */
  readonly key: string;
  /** Whether it came out of the pool (it carried an earlier exchange). */
  reused = false;
  /** Exchanges started on this connection. */
  requests = 0;
  /** Largest response body accepted, in bytes (`Infinity`: no limit) → `LimitExceeded`. */
  maxBodySize: number;
  /**
   * Gets every interim (1xx other than 101) response head, e.g. `100 Continue` or `103 Early
   * Hints`; cleared at `release()`. An object, so a long-lived one needs no closure per exchange.
   */
  interimReceiver: InterimReceiver | undefined = undefined;
  /** @internal The pool's watcher while idle. */
  idleWatcher: IdleWatcher | undefined = undefined;

  private timeouts: ResolvedTimeouts;
  private readonly timers: ExchangeTimers;
  private readonly owner: ConnectionOwner | undefined;
  private readonly parser: H1Parser;
  private readonly writer: RequestWriter;
  private readonly delivery: BodyDelivery;
  private readonly keepAliveMarginMs: number;
  /** The read buffer the socket reads into, when it reads through one: what outlives a read is kept with `keep`. */
  private readonly readArea: ReadArea | undefined;
  /** The upstream sent FIN (the socket's 'end'). */
  private peerEnded = false;
  /** The socket emitted 'error' or 'close' (Node emits them before any other I/O callback runs). */
  private socketGone = false;

  private state = R_IDLE;
  private error: ZpError | undefined = undefined;
  private requestCloses = false;
  private requestIsHead = false;
  private requestIsConnect = false;
  private finalHead: ResponseHeader | undefined = undefined;
  private headTaken = false;
  private headResolve: ((head: ResponseHeader) => void) | undefined = undefined;
  private headReject: ((err: ZpError) => void) | undefined = undefined;
  private headReceiver: ResponseHeadReceiver | undefined = undefined;
  /** The final head arrived during the read being parsed: the receiver hears of it after the parse. */
  private headArrived = false;
  private upgrading = false;
  private responseKeepAlive = false;
  private serverIdleSeconds = -1;
  private responseBytes = 0;
  private bodyBytes = 0;
  private continued = false;
  private violation = false;
  private responseTrailers: HeaderMap | undefined = undefined;
  private upgradeRest: Buffer | undefined = undefined;
  private socketPaused = false;
  private continueResolve: ((outcome: ContinueOutcome) => void) | undefined = undefined;
  private continueReject: ((err: ZpError) => void) | undefined = undefined;
  private reading = false;

  /** @internal Made by a {@link Connector} or {@link connect}. */
  constructor(setup: ConnectionSetup) {
    this.socket = setup.socket;
    this.key = setup.key;
    this.timeouts = setup.timeouts;
    this.timers = new ExchangeTimers(setup.wheel, this);
    this.owner = setup.owner;
    this.maxBodySize = setup.maxBodySize;
    this.keepAliveMarginMs = setup.keepAliveMarginMs;
    this.parser = new H1Parser("response", this, setup.parserOptions);
    this.writer = new RequestWriter(setup.socket, setup.wheel, this, setup.timeouts.writeMs);
    this.delivery = new BodyDelivery(this);
    this.readArea = readAreaOf(setup.socket);
    bindSocket(setup.socket, this);
    if (this.readArea !== undefined) setAreaReader(setup.socket, this);
  }

  // ---------------------------------------------------------------- facts

  /** Whether a TLS session was resumed for this connection (false for plain TCP). */
  get tlsSessionReused(): boolean {
    const s = this.socket as Partial<TLSSocket>;
    return typeof s.isSessionReused === "function" && s.isSessionReused();
  }

  /** The ALPN protocol the upstream chose, or `false`. */
  get alpnProtocol(): string | false {
    return (this.socket as Partial<TLSSocket>).alpnProtocol ?? false;
  }

  /** Whether the response was read to its end. */
  get responseComplete(): boolean {
    return this.state === R_DONE;
  }

  /** Whether the final response head has arrived (read or not). */
  get hasResponseHead(): boolean {
    return this.finalHead !== undefined;
  }

  /** Whether any byte of the response (interim heads included) has arrived. */
  get responseStarted(): boolean {
    return this.responseBytes > 0;
  }

  /** The trailer fields of a chunked response, once it is complete. */
  get trailers(): HeaderMap | undefined {
    return this.responseTrailers;
  }

  /** The error that ended the current exchange, if any. */
  get failure(): ZpError | undefined {
    return this.error;
  }

  /** Whether the connection is closed or handed over. */
  get closed(): boolean {
    return this.state === R_CLOSED;
  }

  /** @internal {@link DeliveryHost}: the response was read to its end. */
  get bodyComplete(): boolean {
    return this.state === R_DONE;
  }

  /** @internal {@link DeliveryHost}: the body is still arriving. */
  get bodyStreaming(): boolean {
    return this.state === R_BODY;
  }

  /** @internal Sets the limits of the exchange that is about to start (the peer's, on checkout). */
  useTimeouts(timeouts: ResolvedTimeouts): void {
    this.timeouts = timeouts;
    this.writer.writeMs = timeouts.writeMs;
  }

  // ---------------------------------------------------------------- request

  /**
   * Starts an exchange: frames the body from the head (a Content-Length, chunked when the
   * head or `bodyLength === true` says so, none otherwise; missing framing headers are added
   * to `head`) and writes the head in one buffer. With a body, the socket is corked until the
   * next tick so the head and the first body write leave together.
   *
   * @param bodyLength The body's length when the head has no framing headers: a number, `true`
   *   for unknown (chunked), nothing for no body.
   * @throws ZpError `InvalidHTTPHeader` for framing the client refuses to send (nothing is
   *   sent); the connection's error if it failed; `InternalError` if an exchange is under way.
   */
  writeRequestHeader(head: RequestHeader, bodyLength?: BodyLength): void {
    this.startExchange(head, bodyLength);
    this.writer.writeHead(head);
  }

  /**
   * Writes a whole request: head and body, as one buffer when together they are small (16 KiB),
   * else corked into one write. `body` sets the Content-Length unless the head frames it.
   */
  writeRequest(head: RequestHeader, body?: Buffer | Uint8Array | string): void {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const length = bytes === undefined ? 0 : bytes.length;
    const framing = this.startExchange(head, length);
    if (framing > 0) {
      this.writer.writeWhole(head, bytes ?? EMPTY);
    } else {
      this.writer.writeHead(head);
      if (framing !== 0) {
        if (length > 0) this.writer.writeBody(bytes!);
        this.writer.finish(undefined);
      }
    }
  }

  /**
   * Writes a piece of request body, framed as the head decided (a chunk of its own when
   * chunked). Returns what `socket.write` returned: on `false`, wait for {@link waitDrain}
   * before writing more; the write timeout runs until the socket drains.
   *
   * @throws ZpError the connection's error once it failed; `InvalidHTTPHeader` when the body
   *   would exceed its Content-Length (the connection is then closed); `InternalError` when no
   *   body is expected.
   */
  writeBody(chunk: Buffer | Uint8Array | string): boolean {
    return this.writer.writeBody(chunk);
  }

  /**
   * Ends the request body: the last chunk (with `trailers`, if any) when chunked; with a
   * Content-Length, checks that all of it was written. A no-op when the request has no body
   * or was finished already.
   *
   * @throws ZpError `InvalidHTTPHeader` when a Content-Length body is short (the connection
   *   is then closed) or trailers are given for a body that is not chunked.
   */
  finishBody(trailers?: HeaderMap): void {
    this.writer.finish(trailers);
  }

  /** Resolves when the socket has drained (at once when it need not); rejects with the connection's error. */
  waitDrain(): Promise<void> {
    return this.writer.waitDrain();
  }

  /**
   * For a request sent with `Expect: 100-continue`: resolves with `"continue"` once the
   * upstream sent `100 Continue`, `"final"` when it answered with a final response instead
   * (do not send the body then), or `"timeout"` after `timeoutMs` (send the body anyway,
   * RFC 9110 §10.1.1). Rejects with the connection's error.
   */
  awaitContinue(timeoutMs: number): Promise<ContinueOutcome> {
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.continued) return Promise.resolve("continue");
    if (this.finalHead !== undefined) return Promise.resolve("final");
    if (this.state !== R_HEAD || this.continueResolve !== undefined) return Promise.reject(misuseError("no request is waiting for 100 Continue"));
    this.startReading();
    this.timers.armContinue(timeoutMs);
    return new Promise<ContinueOutcome>((resolve, reject) => {
      this.continueResolve = resolve;
      this.continueReject = reject;
    });
  }

  /** @internal {@link WriterHost}: the whole request is on the wire, the read timeout starts. */
  requestFinished(): void {
    this.startReading();
  }

  /** @internal {@link WriterHost}: ends the exchange with an error. */
  failExchange(err: ZpError): void {
    this.fail(err);
  }

  private startExchange(head: RequestHeader, bodyLength: BodyLength): number {
    if (this.state !== R_IDLE || this.writer.started) {
      throw this.error ?? misuseError(this.state === R_CLOSED ? "the connection is closed" : "an exchange is already under way on this connection");
    }
    const framing = this.writer.begin(head, bodyLength);
    const connection = head.headers.get("connection");
    this.requestCloses = connection !== undefined ? hasListToken(connection, "close") : head.version === "HTTP/1.0";
    const parser = this.parser;
    parser.headResponse = this.requestIsHead = head.method === "HEAD";
    parser.connectResponse = this.requestIsConnect = head.method === "CONNECT";
    this.state = R_HEAD;
    this.requests++;
    this.timers.armTotal(this.timeouts.totalMs);
    return framing;
  }

  // ---------------------------------------------------------------- response

  /**
   * Resolves with the final response head (interim 1xx heads go to {@link interimReceiver}; a 101
   * is final: see {@link takeUpgraded}). The read timeout runs from this call (or from the end
   * of the request, whichever comes first) while the head is awaited.
   */
  readResponseHeader(): Promise<ResponseHeader> {
    const head = this.finalHead;
    if (head !== undefined && !this.headTaken) {
      this.headTaken = true;
      return Promise.resolve(head);
    }
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.state !== R_HEAD || this.headResolve !== undefined) {
      return Promise.reject(misuseError(this.state === R_CLOSED ? "the connection is closed" : "no response head is awaited"));
    }
    this.startReading();
    return new Promise<ResponseHeader>((resolve, reject) => {
      this.headResolve = resolve;
      this.headReject = reject;
    });
  }

  /**
   * {@link readResponseHeader} without a promise: `receiver` gets the final head once the
   * read that completes it is parsed (so a response that came whole is complete by then),
   * or at once when it came already; or the error that ends the exchange first.
   */
  awaitResponseHeader(receiver: ResponseHeadReceiver): void {
    const head = this.finalHead;
    if (head !== undefined && !this.headTaken && !this.headArrived) {
      this.headTaken = true;
      receiver.onResponseHead(head);
      return;
    }
    if (this.error !== undefined) {
      receiver.onResponseHeadFailed(this.error);
      return;
    }
    if (this.state !== R_HEAD || this.headResolve !== undefined || this.headReceiver !== undefined) {
      receiver.onResponseHeadFailed(misuseError(this.state === R_CLOSED ? "the connection is closed" : "no response head is awaited"));
      return;
    }
    this.startReading();
    this.headReceiver = receiver;
  }

  /**
   * Streams the response body into `sink` (after {@link readResponseHeader} resolved). Bytes
   * that arrived before are delivered at once, synchronously; the end or an error too.
   */
  setBodySink(sink: BodySink): void {
    if (!this.headTaken) throw misuseError("read the response head before its body");
    if (this.delivery.hasSink) throw misuseError("the response body already has a consumer");
    if (this.state === R_CLOSED && this.error === undefined) throw misuseError("the connection is closed");
    this.delivery.attach(sink);
  }

  /**
   * When the response has been read completely and its body not handed out yet: takes the
   * body's pieces (possibly none) so the connection can be released at once; otherwise
   * `undefined` (then read the body with a sink or {@link body}).
   */
  takeCompleteBody(): Buffer[] | undefined {
    if (this.state !== R_DONE || !this.headTaken || this.delivery.hasSink || this.delivery.finished) return undefined;
    return this.delivery.takeAll();
  }

  /**
   * The response body as an async iterator of Buffers (it pauses the socket while 64 KiB wait
   * unread). With `releaseAtEnd`, the connection is released once the body ended; stopping
   * early (`break`) closes it.
   */
  body(releaseAtEnd = false): BodyIterator {
    return new BodyIterator(this, releaseAtEnd);
  }

  /** Stops body delivery: the socket stops reading and the read timeout is suspended. */
  pause(): void {
    if (this.delivery.isPaused) return;
    this.delivery.pause();
    if (this.state === R_BODY) this.pauseReading();
  }

  /** Resumes body delivery after {@link pause}. */
  resume(): void {
    if (this.delivery.isPaused) this.delivery.resume();
  }

  /**
   * After a `101 Switching Protocols` (or a 2xx answer to CONNECT): hands over the socket,
   * paused and without the client's listeners, and the bytes that came after the head. The
   * connection is then closed for the client (never pooled).
   */
  takeUpgraded(): UpgradedConnection {
    if (this.state !== R_UPGRADED || !this.headTaken) throw misuseError("the connection has not switched protocols");
    this.state = R_CLOSED;
    this.cancelTimers();
    const socket = this.socket;
    socket.pause();
    unbindSocket(socket);
    if (this.readArea !== undefined) setAreaReader(socket, undefined);
    return { socket, head: this.upgradeRest ?? EMPTY };
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Ends the exchange. The connection goes back to its pool when the response was read to
   * its end, the request was sent completely, no error happened and the framing allows reuse
   * (no `Connection: close` either way, HTTP/1.1 or a keep-alive HTTP/1.0 response, not a
   * close-delimited body, nothing unexpected after the response); otherwise it is closed.
   * The pooled idle timeout honours `Keep-Alive: timeout=N`. A connection that carried no
   * exchange goes back as it is.
   *
   * @returns Whether it was handed back for reuse.
   */
  release(): boolean {
    const state = this.state;
    if (state === R_CLOSED) return false;
    const clean = state === R_DONE ? this.reusable() : state === R_IDLE && !this.writer.started && this.error === undefined;
    const owner = this.owner;
    if (clean && owner !== undefined && this.socketUsable()) {
      const idleMs = pooledIdleMs(this.timeouts.idleMs, this.serverIdleSeconds, this.keepAliveMarginMs);
      this.reset();
      owner.takeBack(this, idleMs);
      return this.state === R_IDLE;
    }
    this.close();
    return false;
  }

  /**
   * Closes the connection. Whoever waits for the response head, reads the body or waits
   * for a drain, now or later, gets `err` (by default a `ConnectionClosed` error).
   */
  destroy(err?: ZpError): void {
    if (this.state === R_CLOSED) return;
    if (this.state < R_FAILED) this.fail(err ?? closedError("closed by the client", undefined, false));
    this.close();
  }

  /** @internal Whether the pool may keep it: idle, healthy socket, nothing buffered. */
  isIdleReusable(): boolean {
    return this.state === R_IDLE && this.error === undefined && this.socketUsable() && this.parser.isIdle;
  }

  /** @internal Closes for good (used by the pool too). */
  close(): void {
    if (this.state === R_CLOSED) return;
    this.state = R_CLOSED;
    this.cancelTimers();
    this.socket.destroy();
  }

  /**
   * Whether the socket can carry another exchange: no FIN, error or close from it, no unread
   * bytes. Read from our own flags: a socket's `destroyed` goes through getters on both of
   * its stream states, and this runs twice per pooled request. A socket the client destroys
   * itself ends the exchange's state; one destroyed by a read error has emitted `error`
   * before any other callback can ask (Node emits it on the next tick).
   */
  private socketUsable(): boolean {
    return !this.peerEnded && !this.socketGone && (this.readArea !== undefined || this.socket.readableLength === 0);
  }

  private reusable(): boolean {
    return this.responseKeepAlive && !this.requestCloses && !this.violation && this.writer.finished && this.error === undefined && this.parser.isIdle;
  }

  /** Clears the per-exchange state so the connection can carry the next one. */
  private reset(): void {
    this.writer.cancelTimer();
    this.timers.endExchange(); // the read timer stays parked for the next exchange
    this.writer.reset();
    this.delivery.reset();
    this.state = R_IDLE;
    this.requestCloses = false;
    this.finalHead = undefined;
    this.headTaken = false;
    this.headResolve = this.headReject = undefined;
    this.headReceiver = undefined;
    this.headArrived = false;
    this.upgrading = false;
    this.responseKeepAlive = false;
    this.serverIdleSeconds = -1;
    this.responseBytes = 0;
    this.bodyBytes = 0;
    this.continued = false;
    this.responseTrailers = undefined;
    this.continueResolve = this.continueReject = undefined;
    this.reading = false;
    this.interimReceiver = undefined;
    if (this.socketPaused) {
      // Idle connections flow, so that the pool sees a close or stray bytes at once.
      this.socketPaused = false;
      this.socket.resume();
    }
  }

  private cancelTimers(): void {
    this.writer.cancelTimer();
    this.timers.cancelAll();
  }

  /** Ends the exchange with `err`: the socket is destroyed and whoever waits gets the error. */
  private fail(err: ZpError): void {
    if (this.state >= R_FAILED) return;
    this.state = R_FAILED;
    this.error = err;
    this.cancelTimers();
    this.socket.destroy();
    const headReject = this.headReject;
    const headReceiver = this.headReceiver;
    if (headReject !== undefined) {
      this.headResolve = this.headReject = undefined;
      headReject(err);
    } else if (headReceiver !== undefined) {
      this.headReceiver = undefined;
      this.headArrived = false;
      headReceiver.onResponseHeadFailed(err);
    } else {
      this.delivery.fail(err);
    }
    this.writer.failWaiters(err);
    const continueReject = this.continueReject;
    if (continueReject !== undefined) {
      this.continueResolve = this.continueReject = undefined;
      continueReject(err);
    }
  }

  // ---------------------------------------------------------------- reading and timers

  private startReading(): void {
    if (this.reading) return;
    this.reading = true;
    if (!this.socketPaused && (this.state === R_HEAD || this.state === R_BODY)) this.armReadTimer();
  }

  private armReadTimer(): void {
    this.timers.armRead(this.timeouts.readMs);
  }

  /** @internal {@link DeliveryHost}: stop reading (no read timeout meanwhile). */
  pauseReading(): void {
    if (this.socketPaused) return;
    this.socketPaused = true;
    this.socket.pause();
    this.timers.cancelRead();
  }

  /** @internal {@link DeliveryHost}: read again. */
  resumeReading(): void {
    if (!this.socketPaused) return;
    this.socketPaused = false;
    this.socket.resume();
    if (this.reading && (this.state === R_HEAD || this.state === R_BODY)) this.armReadTimer();
  }

  /** @internal {@link TimerHost} */
  readTimedOut(ms: number): void {
    this.fail(readTimeoutError(ms));
  }

  /** @internal {@link TimerHost} */
  totalTimedOut(): void {
    if (this.state === R_HEAD || this.state === R_BODY) this.fail(totalTimeoutError(this.timeouts.totalMs));
  }

  /** @internal {@link TimerHost} */
  continueTimedOut(): void {
    this.settleContinue("timeout");
  }

  private settleContinue(outcome: ContinueOutcome): void {
    const resolve = this.continueResolve;
    if (resolve === undefined) return;
    this.continueResolve = this.continueReject = undefined;
    this.timers.cancelContinue();
    resolve(outcome);
  }

  // ---------------------------------------------------------------- socket events (SocketOwner)

  /** @internal {@link AreaReader}: a read of a socket reading through a read area. */
  onAreaData(area: Buffer, length: number): void {
    this.handleData(area, length);
  }

  /** @internal Bytes `0..length` of `chunk` arrived. */
  handleData(chunk: Buffer, length: number = chunk.length): void {
    const state = this.state;
    if (state !== R_HEAD && state !== R_BODY) {
      if (this.idleWatcher !== undefined) this.idleWatcher.lost("unexpected-data");
      else if (state === R_DONE) this.violation = true;
      else if (state === R_IDLE) this.fail(unexpectedBytesError());
      return;
    }
    this.responseBytes += length;
    let at: number;
    try {
      at = this.parser.execute(chunk, 0, length);
      if (this.state === R_DONE) {
        if (!this.parser.isIdle) this.violation = true;
        this.delivery.flush();
      }
    } catch (err) {
      this.fail(err instanceof ParseError ? responseParseError(err, false) : consumerError(err));
      return;
    }
    // after parsing: a response complete in this chunk has parked the read timer, and then
    // no clock read is needed (nothing can fire while the chunk is parsed)
    this.timers.touch();
    if (this.state === R_UPGRADED) {
      const area = this.readArea;
      this.upgradeRest = at >= length ? undefined : area !== undefined ? area.keep(chunk, at, length) : chunk.subarray(at, length);
      this.socket.pause();
      this.socketPaused = true;
    }
    if (this.headArrived) {
      this.headArrived = false;
      const receiver = this.headReceiver!;
      this.headReceiver = undefined;
      this.headTaken = true;
      receiver.onResponseHead(this.finalHead!);
    }
  }

  /** @internal The upstream sent FIN. */
  handleEnd(): void {
    this.peerEnded = true;
    if (this.idleWatcher !== undefined) {
      this.idleWatcher.lost("peer-closed");
      return;
    }
    const state = this.state;
    if (state === R_HEAD || state === R_BODY) {
      try {
        this.parser.finish();
        if (this.state === R_DONE) this.delivery.flush();
      } catch (err) {
        const early = this.responseBytes === 0;
        this.fail(err instanceof ParseError ? closedError("the upstream closed the connection during the response", err, early) : consumerError(err));
        return;
      }
      if (this.state === R_HEAD || this.state === R_BODY) {
        this.fail(closedError("the upstream closed the connection before the response", undefined, this.responseBytes === 0));
      }
    } else if (state === R_IDLE) {
      this.fail(closedError("the upstream closed the connection before the request", undefined, true));
    }
  }

  /** @internal */
  handleClose(): void {
    this.socketGone = true;
    if (this.idleWatcher !== undefined) {
      this.idleWatcher.lost("peer-closed");
      return;
    }
    const state = this.state;
    if (state === R_HEAD || state === R_BODY || state === R_IDLE) {
      this.fail(closedError("the connection closed", undefined, this.responseBytes === 0));
    }
  }

  /** @internal */
  handleError(err: Error): void {
    this.socketGone = true;
    if (this.idleWatcher !== undefined) {
      this.idleWatcher.lost("peer-closed");
      return;
    }
    if (this.state < R_DONE) this.fail(socketError(err, "on the upstream connection", this.responseBytes === 0));
  }

  /** @internal */
  handleDrain(): void {
    this.writer.handleDrain();
  }

  // ---------------------------------------------------------------- parser callbacks (H1Handler)

  /** @internal */
  onHeaders(head: H1Head): boolean | void {
    if (this.state !== R_HEAD) {
      // A response nobody asked for (bytes after the complete response): never reuse.
      this.violation = true;
      return true;
    }
    if (head.versionMajor !== 1) {
      this.fail(responseParseError(new ParseError("ZP_H1_INVALID_VERSION", 0, `an HTTP/${head.versionMajor}.${head.versionMinor} response`), false));
      return true;
    }
    const status = head.status;
    if (status < 200 && status !== 101) {
      // The parser forgets these with every head, interim ones included: the final head needs them.
      this.parser.headResponse = this.requestIsHead;
      this.parser.connectResponse = this.requestIsConnect;
      if (status === 100) this.continued = true;
      this.interimReceiver?.onInterimHead(toResponseHeader(head));
      if (status === 100) this.settleContinue("continue");
      return;
    }
    if (head.bodyKind === BodyKind.Length && head.contentLength > this.maxBodySize) {
      this.fail(bodyTooLargeError(this.maxBodySize));
      return true;
    }
    const response = toResponseHeader(head);
    this.state = R_BODY;
    this.upgrading = head.upgrade;
    this.responseKeepAlive = head.shouldKeepAlive;
    const keepAlive = response.headers.get("keep-alive");
    if (keepAlive !== undefined) this.serverIdleSeconds = keepAliveTimeoutSeconds(keepAlive);
    this.finalHead = response;
    this.settleContinue("final");
    const resolve = this.headResolve;
    if (resolve !== undefined) {
      this.headResolve = this.headReject = undefined;
      this.headTaken = true;
      resolve(response);
    } else if (this.headReceiver !== undefined) {
      this.headArrived = true; // told after the parse (handleData)
    }
  }

  /** @internal */
  onBody(buf: Uint8Array, start: number, end: number): void {
    if (this.state !== R_BODY) return;
    if ((this.bodyBytes += end - start) > this.maxBodySize) {
      this.fail(bodyTooLargeError(this.maxBodySize));
      return;
    }
    const area = this.readArea;
    if (area === undefined) this.delivery.push((buf as Buffer).subarray(start, end));
    else this.delivery.push(area.keep(buf as Buffer, start, end));
  }

  /** @internal */
  onTrailers(trailers: FieldsView): void {
    if (this.state === R_BODY) this.responseTrailers = toHeaderMap(trailers);
  }

  /** @internal */
  onMessageComplete(): void {
    if (this.state !== R_BODY) return; // an interim response, or one nobody asked for
    this.timers.parkRead();
    this.timers.cancelTotal();
    this.reading = false;
    this.state = this.upgrading ? R_UPGRADED : R_DONE;
  }
}

const EMPTY = Buffer.alloc(0);

/** A callback of the caller's (sink, interim handler) threw while the response was read. */
function consumerError(err: unknown): ZpError {
  return ZpError.because(ErrorType.InternalError, "a response consumer threw", err).asInternal().withRetry(false);
}

function unexpectedBytesError(): ZpError {
  return responseParseError(new ParseError("ZP_H1_DATA_AFTER_CLOSE", 0, "bytes arrived before any request was sent"), false);
}
