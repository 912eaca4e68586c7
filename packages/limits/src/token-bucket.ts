import { monotonicClock, type Clock } from "./clock.js";
import { requireNonNegative, requirePositive, requireTokens } from "./errors.js";

/** Options for {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Most tokens the bucket holds: the largest burst (> 0). */
  capacity: number;
  /** Tokens added per second (> 0). */
  refillPerSecond: number;
  /** Tokens at start (default `capacity`: a full bucket). */
  initialTokens?: number;
  /** Time source in ms (default `performance.now()`). */
  now?: Clock;
}

/**
 * A token bucket for one key: `capacity` tokens, refilled continuously at
 * `refillPerSecond`; each admitted request takes tokens. Allows bursts up to `capacity`
 * and a long-run rate of `refillPerSecond`.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 5 });
 * if (!bucket.tryTake()) reply(429, { "retry-after": Math.ceil(bucket.retryAfterMs() / 1000) });
 * ```
 */
export class TokenBucket {
  /** Most tokens the bucket holds. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
  private readonly perMs: number;
  private readonly now: Clock;
  private level: number;
  private last: number;

  constructor(options: TokenBucketOptions) {
    requirePositive("capacity", options.capacity);
    requirePositive("refillPerSecond", options.refillPerSecond);
    const initial = options.initialTokens ?? options.capacity;
    requireNonNegative("initialTokens", initial);
    this.capacity = options.capacity;
    this.refillPerSecond = options.refillPerSecond;
    this.perMs = options.refillPerSecond / 1000;
    this.now = options.now ?? monotonicClock;
    this.level = Math.min(initial, options.capacity);
    this.last = this.now();
  }

  /** Takes `n` (default 1) tokens if that many are there; returns whether it did. */
  tryTake(n = 1): boolean {
    requireTokens(n);
    this.refill();
    if (this.level < n) return false;
    this.level -= n;
    return true;
  }

  /**
   * Milliseconds until `n` (default 1) tokens will be there (0 if they are now), rounded
   * up; `Infinity` if `n` exceeds the capacity. Divide by 1000 and round up for `Retry-After`.
   */
  retryAfterMs(n = 1): number {
    requireTokens(n);
    if (n > this.capacity) return Number.POSITIVE_INFINITY;
    this.refill();
    if (this.level >= n) return 0;
    return Math.ceil((n - this.level) / this.perMs);
  }

  /** Tokens available now. */
  get tokens(): number {
    this.refill();
    return this.level;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.last;
    // A clock that went backwards refills nothing (and time is counted again from `last`).
    if (elapsed <= 0) return;
    this.last = now;
    const level = this.level + elapsed * this.perMs;
    this.level = level > this.capacity ? this.capacity : level;
  }
}
