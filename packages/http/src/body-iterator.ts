import { Buffer } from "node:buffer";
import type { ZpError } from "@zp/error";
import type { BodySink, PausableBody } from "./body-sink.js";
import type { HeaderMap } from "./header-map.js";

/** Bytes an iterator holds for a consumer that is not reading before it pauses the source. */
const HIGH_WATER = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * A streamed body as an async iterator of Buffers, on top of a {@link BodySink}. While more
 * than 64 KiB wait for the consumer the source is paused, so a slow consumer bounds memory.
 * Subclasses react to the end of the body and to a consumer that stops early through
 * {@link BodyIterator.bodyEnded} and {@link BodyIterator.stoppedEarly}.
 */
export class BodyIterator implements BodySink, AsyncIterableIterator<Buffer> {
  protected readonly body: PausableBody;
  private queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private ended = false;
  private stopped = false;
  private paused = false;
  private error: ZpError | undefined = undefined;
  private resolveNext: ((r: IteratorResult<Buffer>) => void) | undefined = undefined;
  private rejectNext: ((err: unknown) => void) | undefined = undefined;

  constructor(body: PausableBody) {
    this.body = body;
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
    this.bodyEnded(trailers);
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

  /** The consumer stopped early (`break`): what is queued is dropped. */
  return(): Promise<IteratorResult<Buffer>> {
    if (!this.ended && !this.stopped && this.error === undefined) this.stoppedEarly();
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.queued = 0;
    if (this.paused) {
      this.paused = false;
      this.body.resume();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return this;
  }

  /** Called once when the body ended, before the consumer hears of it. */
  protected bodyEnded(_trailers: HeaderMap | undefined): void {}

  /** Called when the consumer stops while the body is still being read. */
  protected stoppedEarly(): void {}
}
