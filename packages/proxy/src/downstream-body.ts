import { Buffer } from "node:buffer";
import { ErrorType, ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import type { BodySink, HttpRequest } from "@zp/http-server";
import { ProxyErrorType } from "./proxy-errors.js";

/** Where the request body goes during one upstream attempt. */
export interface BodyTarget {
  /** A piece of body (a view: valid while this call runs). */
  data(chunk: Buffer): void;
  /** The body ended. */
  end(trailers: HeaderMap | undefined): void;
  /** The body cannot complete (the client went away, was too slow, sent too much). */
  fail(err: ZpError): void;
  /** Whether the target cannot take more now (it resumes the body itself when it can). */
  readonly blocked: boolean;
}

const IDLE = 0; // nobody read yet
const FLOWING = 1;
const ENDED = 2;
const FAILED = 3;

/**
 * The request body of a session, read once from the client and handed to the current
 * upstream attempt. It keeps copies of the first `retryLimit` bytes so a retry can send
 * them again (a body that outgrew them cannot be retried once streaming began), or every
 * byte when a hook read the body whole ({@link DownstreamBody.readWhole}).
 */
export class DownstreamBody implements BodySink {
  /** Body bytes received from the client so far. */
  bytes = 0;
  private readonly req: HttpRequest;
  private readonly retryLimit: number;
  private state = IDLE;
  private saved: Buffer[] = [];
  private savedBytes = 0;
  private truncated = false;
  private wholeLimit = -1; // >= 0 while a hook reads the body whole
  private trailerFields: HeaderMap | undefined = undefined;
  private error: ZpError | undefined = undefined;
  private target: BodyTarget | null = null;
  private abandoned = false;
  private whole: Promise<Buffer> | undefined = undefined;
  private wholeResolve: ((body: Buffer) => void) | undefined = undefined;
  private wholeReject: ((err: ZpError) => void) | undefined = undefined;

  /** @param req The request. @param retryLimit How many bytes to keep for a retry. */
  constructor(req: HttpRequest, retryLimit: number) {
    this.req = req;
    this.retryLimit = retryLimit;
  }

  /** Whether a new attempt can be given the whole body (nothing was lost past the retry buffer). */
  get replayable(): boolean {
    return !this.truncated;
  }

  /** Whether the client sent the whole body. */
  get complete(): boolean {
    return this.state === ENDED;
  }

  /** The trailer fields of a chunked body, once complete. */
  get trailers(): HeaderMap | undefined {
    return this.trailerFields;
  }

  /**
   * Sends the body to `target`: what was kept for a retry first, then the rest as it
   * arrives. Bytes already buffered by the server are delivered synchronously.
   */
  attach(target: BodyTarget): void {
    if (this.abandoned) return;
    this.target = target;
    if (this.state === IDLE) {
      this.state = FLOWING;
      this.req.setBodySink(this);
      return;
    }
    const saved = this.saved;
    for (let i = 0; i < saved.length && this.target === target; i++) target.data(saved[i]!);
    if (this.target !== target) return;
    if (this.state === ENDED) target.end(this.trailerFields);
    else if (this.state === FAILED) target.fail(this.error!);
    else if (!target.blocked) this.req.resume();
  }

  /** The attempt is over: the body waits (the client is paused) for the next one, if any. */
  detach(target: BodyTarget): void {
    if (this.target !== target) return;
    this.target = null;
    if (this.state === FLOWING) this.req.pause();
  }

  /**
   * No attempt will take the body any more (the response is over, or the request failed):
   * let it flow and drop it, so the server can skip the rest or close.
   */
  abandon(): void {
    this.target = null;
    this.abandoned = true;
    this.saved = [];
    this.savedBytes = 0;
    this.truncated = true;
    if (this.state === FLOWING && this.wholeLimit < 0) this.req.resume();
  }

  /** Backpressure from the upstream: stop reading from the client. */
  pause(): void {
    this.req.pause();
  }

  /** Read from the client again. */
  resume(): void {
    if (this.target !== null || this.wholeLimit >= 0 || this.abandoned) this.req.resume();
  }

  /**
   * The whole body in one Buffer (`null` when the request has none), read before it is
   * forwarded; the proxy then forwards what was read. Rejects with `HTTPStatus(413)`
   * past `limit` bytes.
   */
  readWhole(limit: number): Promise<Buffer | null> {
    if (!this.req.hasBody) return Promise.resolve(null);
    if (this.whole !== undefined) return this.whole;
    if (this.state === ENDED && !this.truncated) return (this.whole = Promise.resolve(Buffer.concat(this.saved)));
    if (this.state === FAILED) return Promise.reject(this.error);
    if (this.state !== IDLE) {
      return Promise.reject(new ZpError(ProxyErrorType.HookMisuse, { context: "the request body is already being forwarded", source: "Internal" }));
    }
    this.wholeLimit = limit;
    this.whole = new Promise<Buffer>((resolve, reject) => {
      this.wholeResolve = resolve;
      this.wholeReject = reject;
    });
    this.state = FLOWING;
    this.req.setBodySink(this);
    return this.whole;
  }

  /** @internal Server callback. */
  onData(chunk: Buffer): void {
    if (this.state === FAILED) return;
    const len = chunk.length;
    this.bytes += len;
    if (!this.truncated) {
      const wholeLimit = this.wholeLimit;
      if (wholeLimit >= 0) {
        if (this.savedBytes + len > wholeLimit) {
          this.failWhole(new ZpError(ErrorType.HTTPStatus(413), { context: `request body above ${wholeLimit} bytes`, source: "Downstream" }));
          return;
        }
      } else if (this.savedBytes + len > this.retryLimit) {
        this.truncated = true;
        this.saved = [];
        this.savedBytes = 0;
      }
      if (!this.truncated) {
        this.saved.push(Buffer.from(chunk));
        this.savedBytes += len;
      }
    }
    this.target?.data(chunk);
  }

  /** @internal Server callback. */
  onEnd(trailers: HeaderMap | undefined): void {
    if (this.state === FAILED) return;
    this.state = ENDED;
    this.trailerFields = trailers;
    const resolve = this.wholeResolve;
    if (resolve !== undefined) {
      this.wholeResolve = this.wholeReject = undefined;
      this.wholeLimit = -1;
      resolve(Buffer.concat(this.saved, this.savedBytes));
    }
    this.target?.end(trailers);
  }

  /** @internal Server callback. */
  onError(err: ZpError): void {
    if (this.state === FAILED) return;
    this.state = FAILED;
    this.error = err;
    this.saved = [];
    const reject = this.wholeReject;
    if (reject !== undefined) {
      this.wholeResolve = this.wholeReject = undefined;
      reject(err);
    }
    this.target?.fail(err);
  }

  private failWhole(err: ZpError): void {
    this.truncated = true;
    this.saved = [];
    this.state = FAILED;
    this.error = err;
    this.req.pause();
    const reject = this.wholeReject;
    this.wholeResolve = this.wholeReject = undefined;
    reject?.(err);
  }
}
