import type { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import type { BodySink } from "@zp/http-client";
import { isPromiseLike } from "./maybe-promise.js";
import type { FlowSource } from "./piece-feeder.js";
import { hookError } from "./proxy-errors.js";
import type { BodyFilterResult, ProxyHttp } from "./proxy-http.js";
import type { Session } from "./session.js";

// Which body filter a pending promise belongs to.
const STAGE_UPSTREAM = 0;
const STAGE_DOWNSTREAM = 1;

/** What a {@link ResponseForwarder} reports to: the attempt. */
export interface ResponseHost {
  /** The response to the client is complete (`err` undefined) or failed. */
  responseDone(err: ZpError | undefined): void;
}

/**
 * Streams a response body from the upstream (or from the pieces of a response read whole)
 * to the client: each chunk through `upstreamResponseBodyFilter` and `responseBodyFilter`
 * (awaited only when they return promises), then `write`; a full client socket pauses the
 * upstream until it drains. At the end: trailers (through their filters, sent when the
 * client accepts them), then `end`. A failure aborts the client's response, so a cut body
 * never looks complete.
 */
export class ResponseForwarder<CTX> implements BodySink {
  private readonly host: ResponseHost;
  private readonly session: Session;
  private readonly proxy: ProxyHttp<CTX>;
  private readonly ctx: CTX;
  private readonly upFilter: ProxyHttp<CTX>["upstreamResponseBodyFilter"];
  private readonly downFilter: ProxyHttp<CTX>["responseBodyFilter"];
  private source: FlowSource | null = null;
  private waitingDrain = false;
  private filtering = false;
  private pendingChunk: Buffer | null = null;
  private pendingEos = false;
  private pendingStage = STAGE_UPSTREAM;
  private trailers: HeaderMap | undefined = undefined;
  private over = false;
  private outcome: ZpError | undefined = undefined;
  private resolveDone: ((err: ZpError | undefined) => void) | undefined = undefined;
  private onDrainBound: (() => void) | undefined = undefined;
  private onFilteredBound: ((out: BodyFilterResult) => void) | undefined = undefined;
  private onFailBound: ((err: unknown) => void) | undefined = undefined;
  private hostSettled = false;

  constructor(host: ResponseHost, session: Session, proxy: ProxyHttp<CTX>, ctx: CTX) {
    this.host = host;
    this.session = session;
    this.proxy = proxy;
    this.ctx = ctx;
    this.upFilter = proxy.upstreamResponseBodyFilter;
    this.downFilter = proxy.responseBodyFilter;
  }

  /** Whether the response is over (complete or failed). */
  get finished(): boolean {
    return this.over;
  }

  /** Starts pulling from `source` (which delivers into this sink). */
  start(source: FlowSource): void {
    this.source = source;
  }

  /** The outcome once over: at once when it already is, else a promise. */
  result(): ZpError | undefined | Promise<ZpError | undefined> {
    if (this.over) return this.outcome;
    return new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** The client connection failed. */
  abort(err: ZpError): void {
    this.finish(err);
  }

  /** @internal Sink callback. */
  onData(chunk: Buffer): void {
    if (!this.over) this.deliver(chunk, false);
  }

  /** @internal Sink callback. */
  onEnd(trailers: HeaderMap | undefined): void {
    if (this.over) return;
    this.trailers = trailers;
    this.deliver(null, true);
  }

  /** @internal Sink callback: the upstream failed mid-body. */
  onError(err: ZpError): void {
    this.finish(err);
  }

  private deliver(chunk: Buffer | null, eos: boolean): void {
    const filter = this.upFilter;
    if (filter !== undefined) {
      let out: ReturnType<typeof filter>;
      try {
        out = filter.call(this.proxy, this.session, chunk, eos, this.ctx);
      } catch (err) {
        this.finish(hookError(err, "upstreamResponseBodyFilter"));
        return;
      }
      if (isPromiseLike(out)) {
        this.wait(out, chunk, eos, STAGE_UPSTREAM);
        return;
      }
      if (out !== undefined) chunk = out;
    }
    this.deliverDown(chunk, eos);
  }

  private deliverDown(chunk: Buffer | null, eos: boolean): void {
    if (chunk === null && !eos) return; // dropped
    const filter = this.downFilter;
    if (filter !== undefined) {
      let out: ReturnType<typeof filter>;
      try {
        out = filter.call(this.proxy, this.session, chunk, eos, this.ctx);
      } catch (err) {
        this.finish(hookError(err, "responseBodyFilter"));
        return;
      }
      if (isPromiseLike(out)) {
        this.wait(out, chunk, eos, STAGE_DOWNSTREAM);
        return;
      }
      if (out !== undefined) chunk = out;
    }
    this.emit(chunk, eos);
  }

  private wait(promise: PromiseLike<BodyFilterResult>, chunk: Buffer | null, eos: boolean, stage: number): void {
    this.filtering = true;
    this.pendingChunk = chunk;
    this.pendingEos = eos;
    this.pendingStage = stage;
    this.source?.pause();
    promise.then(
      (this.onFilteredBound ??= (out) => this.filtered(out)),
      (this.onFailBound ??= (err) => this.finish(hookError(err, "response body filter"))),
    );
  }

  private filtered(out: BodyFilterResult): void {
    if (this.over) return;
    this.filtering = false;
    const chunk = out === undefined ? this.pendingChunk : out;
    const eos = this.pendingEos;
    this.pendingChunk = null;
    if (this.pendingStage === STAGE_UPSTREAM) this.deliverDown(chunk, eos);
    else this.emit(chunk, eos);
    if (!this.over && !this.filtering && !this.waitingDrain) this.source?.resume();
  }

  private emit(chunk: Buffer | null, eos: boolean): void {
    if (chunk !== null && chunk.length > 0) this.write(chunk);
    if (eos && !this.over) this.end();
  }

  private write(chunk: Buffer): void {
    const res = this.session.downstream;
    this.session.responseBodyBytes += chunk.length;
    let ok: boolean;
    try {
      ok = res.write(chunk);
    } catch (err) {
      this.finish(hookError(err, "writing the response body"));
      return;
    }
    if (ok) return;
    if (res.aborted || res.finished) {
      this.finish(this.session.downstreamError ?? hookError(new Error("the client connection is gone"), "writing the response body"));
      return;
    }
    this.waitingDrain = true;
    this.source?.pause();
    res.onDrain((this.onDrainBound ??= () => this.drained()));
  }

  private drained(): void {
    if (!this.waitingDrain) return;
    this.waitingDrain = false;
    if (!this.over && !this.filtering) this.source?.resume();
  }

  /** Trailers (filtered, forwarded when the client takes them), then the end of the response. */
  private end(): void {
    const trailers = this.trailers;
    if (trailers === undefined || trailers.size === 0) this.complete(undefined);
    else this.filterTrailers(trailers, STAGE_UPSTREAM);
  }

  private filterTrailers(trailers: HeaderMap, stage: number): void {
    const proxy = this.proxy;
    const filter = stage === STAGE_UPSTREAM ? proxy.upstreamResponseTrailerFilter : proxy.responseTrailerFilter;
    if (filter !== undefined) {
      let r: unknown;
      try {
        r = filter.call(proxy, this.session, trailers, this.ctx);
      } catch (err) {
        this.finish(hookError(err, "response trailer filter"));
        return;
      }
      if (isPromiseLike(r)) {
        this.filtering = true;
        r.then(
          () => {
            this.filtering = false;
            if (this.over) return;
            if (stage === STAGE_UPSTREAM) this.filterTrailers(trailers, STAGE_DOWNSTREAM);
            else this.complete(trailers);
          },
          (err) => this.finish(hookError(err, "response trailer filter")),
        );
        return;
      }
    }
    if (stage === STAGE_UPSTREAM) this.filterTrailers(trailers, STAGE_DOWNSTREAM);
    else this.complete(trailers);
  }

  private complete(trailers: HeaderMap | undefined): void {
    const res = this.session.downstream;
    // the upstream side is done: its connection goes back before the client's response
    // ends, since ending it may start the next pipelined request at once
    this.settleHost(undefined);
    try {
      if (trailers !== undefined && this.session.acceptsTrailers) res.writeTrailers(trailers);
      res.end();
    } catch (err) {
      this.finish(hookError(err, "ending the response"));
      return;
    }
    this.finish(res.aborted ? (this.session.downstreamError ?? hookError(new Error("the client connection is gone"), "ending the response")) : undefined);
  }

  /**
   * Tells the attempt the upstream side is over (once). The source is let go first: after
   * this the connection may serve another request.
   */
  private settleHost(err: ZpError | undefined): void {
    if (this.hostSettled) return;
    this.hostSettled = true;
    if (err !== undefined) this.source?.pause();
    this.source = null;
    this.host.responseDone(err);
  }

  private finish(err: ZpError | undefined): void {
    if (this.over) return;
    this.over = true;
    this.outcome = err;
    this.settleHost(err);
    const resolve = this.resolveDone;
    this.resolveDone = undefined;
    resolve?.(err);
  }
}
