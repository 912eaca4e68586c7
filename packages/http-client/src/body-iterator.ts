import type { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import type { BodySink } from "./body-sink.js";

/** What a {@link BodyIterator} needs from its connection. */
export interface PausableBody {
  setBodySink(sink: BodySink): void;
  pause(): void;
  resume(): void;
  destroy(): void;
  release(): boolean;
}

/** Bytes held for a consumer that is not reading before the connection is paused. */
const HIGH_WATER = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * A response body as an async iterator of Buffers, on top of the push sink. While more than
 * 64 KiB wait for the consumer the connection is paused, so a slow consumer bounds memory.
 * Stopping early (`break`) closes the connection: the rest of the body is never read.
 */
export class BodyIterator implements BodySink, AsyncIterableIterator<Buffer> {
  private readonly body: PausableBody;
  private queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private ended = false;
  private stopped = false;
  private paused = false;
  private error: ZpError | undefined = undefined;
  private resolveNext: ((r: IteratorResult<Buffer>) => void) | undefined = undefined;
  private rejectNext: ((err: unknown) => void) | undefined = undefined;
  /** The trailer fields, once the body ended. */
  trailers: HeaderMap | undefined = undefined;

  private readonly releaseAtEnd: boolean;

  /**
   * @param body The connection whose body to read (its head must have been read).
   * @param releaseAtEnd Release the connection (back to its pool) once the body ended.
   */
  constructor(body: PausableBody, releaseAtEnd = false) {
    this.body = body;
    this.releaseAtEnd = releaseAtEnd;
    body.setBodySink(this);
  }

  /** @internal */
  onData(chunk: Buffer): void {
    if (this.stopped) return;
    const resolve = this.resolveNext;
    if (resolve !== undefined) {
      this.resolveNext = this.rejectNext = undefined;
      resolve({ value: chunk, done: false });
      return;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.body.pause();
    }
  }

  /** @internal */
  onEnd(trailers: HeaderMap | undefined): void {
    this.ended = true;
    this.trailers = trailers;
    if (this.releaseAtEnd) this.body.release();
    const resolve = this.resolveNext;
    if (resolve !== undefined) {
      this.resolveNext = this.rejectNext = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  /** @internal */
  onError(err: ZpError): void {
    this.error = err;
    const reject = this.rejectNext;
    if (reject !== undefined) {
      this.resolveNext = this.rejectNext = undefined;
      reject(err);
    }
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.head < this.queue.length) {
      const chunk = this.queue[this.head]!;
      this.queue[this.head++] = EMPTY;
      this.queued -= chunk.length;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      if (this.paused && this.queued <= HIGH_WATER / 2) {
        this.paused = false;
        this.body.resume();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.ended || this.stopped) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.resolveNext = resolve;
      this.rejectNext = reject;
    });
  }

  /** The consumer stopped early: the connection is closed (the rest of the body is not read). */
  return(): Promise<IteratorResult<Buffer>> {
    if (!this.ended && !this.stopped && this.error === undefined) this.body.destroy();
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.queued = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return this;
  }
}
