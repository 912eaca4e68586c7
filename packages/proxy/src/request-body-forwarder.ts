import { Buffer } from "node:buffer";
import { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import type { ClientConnection } from "@zp/http-client";
import type { BodyTarget, DownstreamBody } from "./downstream-body.js";
import { isPromiseLike } from "./maybe-promise.js";
import { hookError } from "./proxy-errors.js";
import type { BodyFilterResult, ProxyHttp } from "./proxy-http.js";
import type { Session } from "./session.js";

/**
 * Streams the request body of one attempt from the client to the upstream connection:
 * each chunk through `requestBodyFilter` (awaited only when it returns a promise) and
 * `conn.writeBody`; when the upstream socket is full, or a filter is pending, the client
 * is paused until it drains (TCP backpressure all the way). Ends with the filter's last
 * call and `finishBody` (with the trailers when the upstream body is chunked).
 */
export class RequestBodyForwarder<CTX> implements BodyTarget {
  private readonly session: Session;
  private readonly proxy: ProxyHttp<CTX>;
  private readonly ctx: CTX;
  private readonly body: DownstreamBody;
  private readonly conn: ClientConnection;
  private readonly chunked: boolean;
  private readonly filter: ProxyHttp<CTX>["requestBodyFilter"];
  /** Chunks that came while blocked (replayed copies, normally). */
  private queue: Buffer[] | null = null;
  private queueHead = 0;
  private waitingDrain = false;
  private filtering = false;
  private pending: Buffer | null = null;
  private ending = false;
  private endTrailers: HeaderMap | undefined = undefined;
  private closed = false;
  private completed = false;
  private onDrainBound: (() => void) | undefined = undefined;
  private onFilteredBound: ((out: BodyFilterResult) => void) | undefined = undefined;
  private onLastFilteredBound: ((out: BodyFilterResult) => void) | undefined = undefined;
  private onFilterFailBound: ((err: unknown) => void) | undefined = undefined;
  private onWriteFailBound: ((err: unknown) => void) | undefined = undefined;

  /**
   * @param chunked Whether the upstream request is chunked (trailers can be forwarded).
   */
  constructor(session: Session, proxy: ProxyHttp<CTX>, ctx: CTX, body: DownstreamBody, conn: ClientConnection, chunked: boolean) {
    this.session = session;
    this.proxy = proxy;
    this.ctx = ctx;
    this.body = body;
    this.conn = conn;
    this.chunked = chunked;
    this.filter = proxy.requestBodyFilter;
  }

  get blocked(): boolean {
    return this.waitingDrain || this.filtering;
  }

  /** Whether the whole body was written (and finished) upstream. */
  get finished(): boolean {
    return this.completed;
  }

  data(chunk: Buffer): void {
    if (this.closed) return;
    if (this.waitingDrain || this.filtering || (this.queue !== null && this.queueHead < this.queue.length)) {
      (this.queue ??= []).push(Buffer.from(chunk));
      this.body.pause();
      return;
    }
    this.process(chunk);
  }

  end(trailers: HeaderMap | undefined): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.endTrailers = trailers;
    if (!this.blocked) this.unblocked();
  }

  fail(err: ZpError): void {
    this.abort(err);
  }

  /** The attempt is over: write nothing more. */
  close(): void {
    this.closed = true;
  }

  private process(chunk: Buffer): void {
    const filter = this.filter;
    if (filter === undefined) {
      this.write(chunk);
      return;
    }
    let out: ReturnType<typeof filter>;
    try {
      out = filter.call(this.proxy, this.session, chunk, false, this.ctx);
    } catch (err) {
      this.abort(hookError(err, "requestBodyFilter"));
      return;
    }
    if (isPromiseLike(out)) {
      this.filtering = true;
      this.pending = chunk;
      this.body.pause();
      out.then((this.onFilteredBound ??= (r) => this.filtered(r)), this.filterFailed());
      return;
    }
    this.writeResult(chunk, out);
  }

  private filtered(out: BodyFilterResult): void {
    const chunk = this.pending!;
    this.pending = null;
    this.filtering = false;
    if (this.closed) return;
    this.writeResult(chunk, out);
    if (!this.blocked) this.unblocked();
  }

  private writeResult(chunk: Buffer, out: BodyFilterResult): void {
    const bytes = out === undefined ? chunk : out;
    if (bytes !== null && bytes.length > 0) this.write(bytes);
  }

  private write(chunk: Buffer): void {
    let ok: boolean;
    try {
      ok = this.conn.writeBody(chunk);
    } catch (err) {
      this.abort(err);
      return;
    }
    if (!ok && !this.closed) {
      this.waitingDrain = true;
      this.body.pause();
      this.conn.waitDrain().then((this.onDrainBound ??= () => this.drained()), (this.onWriteFailBound ??= (e) => this.abort(e)));
    }
  }

  private drained(): void {
    this.waitingDrain = false;
    if (!this.closed && !this.filtering) this.unblocked();
  }

  /** Nothing holds the flow back: queued chunks, then the end, else more from the client. */
  private unblocked(): void {
    const queue = this.queue;
    if (queue !== null) {
      while (this.queueHead < queue.length && !this.blocked && !this.closed) {
        const chunk = queue[this.queueHead]!;
        queue[this.queueHead++] = chunk.subarray(0, 0);
        this.process(chunk);
      }
      if (this.queueHead < queue.length) return;
      this.queue = null;
      this.queueHead = 0;
    }
    if (this.blocked || this.closed) return;
    if (this.ending) this.finish();
    else this.body.resume();
  }

  /** The last filter call, then the end of the upstream body. */
  private finish(): void {
    const filter = this.filter;
    if (filter !== undefined) {
      let out: ReturnType<typeof filter>;
      try {
        out = filter.call(this.proxy, this.session, null, true, this.ctx);
      } catch (err) {
        this.abort(hookError(err, "requestBodyFilter"));
        return;
      }
      if (isPromiseLike(out)) {
        this.filtering = true;
        out.then((this.onLastFilteredBound ??= (r) => this.lastFiltered(r)), this.filterFailed());
        return;
      }
      if (out !== undefined && out !== null && out.length > 0) this.write(out);
    }
    this.finishBody();
  }

  private lastFiltered(out: BodyFilterResult): void {
    this.filtering = false;
    if (this.closed) return;
    if (out !== undefined && out !== null && out.length > 0) this.write(out);
    this.finishBody();
  }

  private finishBody(): void {
    if (this.closed) return;
    try {
      const trailers = this.endTrailers;
      this.conn.finishBody(this.chunked && trailers !== undefined && trailers.size > 0 ? trailers : undefined);
    } catch (err) {
      this.abort(err);
      return;
    }
    this.closed = true;
    this.completed = true;
  }

  private filterFailed(): (err: unknown) => void {
    return (this.onFilterFailBound ??= (e) => this.abort(hookError(e, "requestBodyFilter")));
  }

  /**
   * Fails the attempt: the connection is destroyed, and whoever reads the response gets
   * `err`. Never after {@link close}: the connection may be back in the pool by then.
   */
  private abort(err: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.body.detach(this);
    this.conn.destroy(err instanceof ZpError ? err : hookError(err, "forwarding the request body"));
  }
}
