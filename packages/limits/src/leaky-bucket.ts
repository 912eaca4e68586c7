import { monotonicClock, type Clock } from "./clock.js";
import { requirePositive, requireTokens } from "./errors.js";

/** Options for {@link LeakyBucket}. */
export interface LeakyBucketOptions {
  /** Most water the bucket holds: the largest burst (> 0). */
  capacity: number;
  /** Units drained per second (> 0): the steady rate let through. */
  leakPerSecond: number;
  /** Time source in ms (default `performance.now()`). */
  now?: Clock;
}

/**
 * A leaky bucket as a meter, for one key (the model behind nginx's `limit_req`): each
 * request pours units in, the bucket drains at `leakPerSecond`, and a request that would
 * overflow `capacity` is refused. It starts empty.
 *
 * Besides admission, {@link LeakyBucket.delayMs} gives the shaping delay: how long a
 * request admitted now should wait so requests leave at the steady rate.
 *
 * @example
 * ```ts
 * const bucket = new LeakyBucket({ capacity: 20, leakPerSecond: 10 });
 * if (!bucket.tryTake()) reply(429, { "retry-after": Math.ceil(bucket.retryAfterMs() / 1000) });
 * ```
 */
export class LeakyBucket {
  /** Most water the bucket holds. */
  readonly capacity: number;
  /** Units drained per second. */
  readonly leakPerSecond: number;
  private readonly perMs: number;
  private readonly now: Clock;
  private water = 0;
  private last: number;

  constructor(options: LeakyBucketOptions) {
    requirePositive("capacity", options.capacity);
    requirePositive("leakPerSecond", options.leakPerSecond);
    this.capacity = options.capacity;
    this.leakPerSecond = options.leakPerSecond;
    this.perMs = options.leakPerSecond / 1000;
    this.now = options.now ?? monotonicClock;
    this.last = this.now();
  }

  /** Pours `n` (default 1) units in if they fit; returns whether they did. */
  tryTake(n = 1): boolean {
    requireTokens(n);
    this.drain();
    if (this.water + n > this.capacity) return false;
    this.water += n;
    return true;
  }

  /**
   * Milliseconds until `n` (default 1) units fit (0 if they do now), rounded up; `Infinity`
   * if `n` exceeds the capacity.
   */
  retryAfterMs(n = 1): number {
    requireTokens(n);
    if (n > this.capacity) return Number.POSITIVE_INFINITY;
    this.drain();
    const excess = this.water + n - this.capacity;
    return excess <= 0 ? 0 : Math.ceil(excess / this.perMs);
  }

  /**
   * Milliseconds the last admitted request should wait before going out, so traffic leaves
   * at `leakPerSecond`: the time to drain what was queued before it.
   */
  delayMs(n = 1): number {
    requireTokens(n);
    this.drain();
    const ahead = this.water - n;
    return ahead <= 0 ? 0 : Math.ceil(ahead / this.perMs);
  }

  /** Units in the bucket now. */
  get level(): number {
    this.drain();
    return this.water;
  }

  private drain(): void {
    const now = this.now();
    const elapsed = now - this.last;
    if (elapsed <= 0) return;
    this.last = now;
    const water = this.water - elapsed * this.perMs;
    this.water = water > 0 ? water : 0;
  }
}
