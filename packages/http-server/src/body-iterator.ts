import type { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import type { BodySink } from "./body-sink.js";

/** What a {@link BodyIterator} needs from its request. */
export interface PausableBody {
  setBodySink(sink: BodySink): void;
  pause(): void;
  resume(): void;
}

/** Bytes an iterator holds before it pauses the connection. */
const HIGH_WATER = 64 * 1024;

/**
 * A request body as an async iterator of Buffers. It pauses the connection while more
 * than 64 KiB wait for the consumer, so a slow consumer bounds memory.
 */
export class BodyIterator implements BodySink, AsyncIterableIterator<Buffer> {
  private readonly body: PausableBody;
  private readonly queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private ended = false;
  private stopped = false;
  private paused = false;
  private error: ZpError | undefined;
  private resolveNext: ((r: IteratorResult<Buffer>) => void) | undefined;
  private rejectNext: ((err: unknown) => void) | undefined;

  constructor(body: PausableBody) {
    this.body = body;
    body.setBodySink(this);
  }

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

  onEnd(_trailers: HeaderMap | undefined): void {
    this.ended = true;
    const resolve = this.resolveNext;
    if (resolve !== undefined) {
      this.resolveNext = this.rejectNext = undefined;
      resolve({ value: undefined, done: true });
    }
  }

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

  /** The consumer stopped early (`break`): the rest of the body is dropped. */
  return(): Promise<IteratorResult<Buffer>> {
    this.stopped = true;
    this.queue.length = 0;
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
}

const EMPTY = Buffer.alloc(0);
