import { monotonicClock, type Clock } from "./clock.js";
import { requireInteger, requirePositive } from "./errors.js";
import { Estimator } from "./estimator.js";
import { makeSeed, type Key } from "./key-hash.js";

/** Options for {@link Rate}. */
export interface RateOptions {
  /** Rows of each estimator (default 4). */
  hashes?: number;
  /** Counters per row of each estimator (default 1024; lower is fine when few keys are seen per interval). */
  slots?: number;
  /** Time source in ms (default `performance.now()`); inject a fake one in tests. */
  now?: Clock;
  /** Hash seed (default random). */
  seed?: number;
}

/** What {@link Rate.rateWith} hands to its function. */
export interface RateComponents {
  /** Events counted for the key in the previous interval. */
  prevSamples: number;
  /** Events counted for the key so far in the current interval. */
  currSamples: number;
  /** The interval length in milliseconds. */
  interval: number;
  /** How far into the current interval we are, from 0 (just started) to below 1. */
  currentIntervalFraction: number;
}

/**
 * The sliding-window estimate: the previous interval's count weighted by the part of it
 * still inside a window of one interval ending now, plus the current count, per second.
 */
export function proportionalRateEstimate(c: RateComponents): number {
  return (c.prevSamples * (1 - c.currentIntervalFraction) + c.currSamples) / (c.interval / 1000);
}

/**
 * Estimates how often each key occurs, in fixed memory: two count-min {@link Estimator}s
 * take turns, one collecting the current interval while the other keeps the previous one.
 * {@link Rate.rate} reports the previous interval's count per second, so it lags by one
 * interval but is stable; keys seen less than once per interval read as 0.
 *
 * Intervals restart when a call finds at least one interval has passed since the last
 * restart (not on a fixed grid), and if two intervals or more passed both estimators are
 * cleared, exactly as Pingora's `Rate` does.
 *
 * @example
 * ```ts
 * const rate = new Rate(1000);
 * rate.observe("client-a"); // 1: events so far in this interval
 * rate.rate("client-a"); // events per second over the previous interval
 * ```
 */
export class Rate {
  /** The interval length in milliseconds. */
  readonly intervalMs: number;
  private readonly red: Estimator;
  private readonly blue: Estimator;
  private redIsCurrent = true;
  private readonly now: Clock;
  private lastReset: number;

  /** @param intervalMs length of one interval in ms (> 0). */
  constructor(intervalMs: number, options: RateOptions = {}) {
    requirePositive("intervalMs", intervalMs);
    const hashes = options.hashes ?? 4;
    const slots = options.slots ?? 1024;
    requireInteger("hashes", hashes, 1, 64);
    requireInteger("slots", slots, 1, 1 << 26);
    const seed = makeSeed(options.seed);
    this.intervalMs = intervalMs;
    this.red = new Estimator(hashes, slots, { seed });
    this.blue = new Estimator(hashes, slots, { seed });
    this.now = options.now ?? monotonicClock;
    this.lastReset = this.now();
  }

  /** Records `n` (default 1) events for `key`; returns the count so far in the current interval. */
  observe(key: Key, n = 1): number {
    this.maybeReset();
    return (this.redIsCurrent ? this.red : this.blue).incr(key, n);
  }

  /** The previous interval's count for `key`, per second; 0 once two intervals passed without a restart. */
  rate(key: Key): number {
    const past = this.maybeReset();
    if (past >= this.intervalMs * 2) return 0;
    return ((this.redIsCurrent ? this.blue : this.red).get(key) / this.intervalMs) * 1000;
  }

  /**
   * Calls `fn` with the counts behind the estimate for `key` and returns what it returns,
   * for custom formulas (e.g. weighting the current interval more).
   */
  rateWith<T>(key: Key, fn: (components: RateComponents) => T): T {
    const past = this.maybeReset();
    const components: RateComponents = {
      prevSamples: 0,
      currSamples: 0,
      interval: this.intervalMs,
      currentIntervalFraction: (past % this.intervalMs) / this.intervalMs,
    };
    this.samples(key, past, components);
    return fn(components);
  }

  /**
   * The sliding-window estimate for `key` ({@link proportionalRateEstimate}): reacts within
   * the current interval, unlike {@link Rate.rate}. Allocation-free.
   */
  proportionalRate(key: Key): number {
    const past = this.maybeReset();
    const interval = this.intervalMs;
    if (past >= interval * 2) return 0;
    const previous = (this.redIsCurrent ? this.blue : this.red).get(key);
    if (past >= interval) return (previous * (1 - (past % interval) / interval)) / (interval / 1000);
    const current = (this.redIsCurrent ? this.red : this.blue).get(key);
    return (previous * (1 - past / interval) + current) / (interval / 1000);
  }

  /** Bytes held by both estimators (fixed). */
  get byteLength(): number {
    return this.red.byteLength + this.blue.byteLength;
  }

  private samples(key: Key, past: number, out: RateComponents): void {
    if (past >= this.intervalMs * 2) return;
    const current = this.redIsCurrent ? this.red : this.blue;
    const previous = this.redIsCurrent ? this.blue : this.red;
    out.prevSamples = previous.get(key);
    // A restart just happened: the current estimator was cleared a moment ago.
    if (past < this.intervalMs) out.currSamples = current.get(key);
  }

  /** Restarts the interval when it is over; returns the ms since the previous restart. */
  private maybeReset(): number {
    const now = this.now();
    const past = now - this.lastReset;
    // A clock that stepped back reads as "just restarted".
    if (past < this.intervalMs) return past > 0 ? past : 0;
    this.lastReset = now;
    // The old previous becomes the new current: clear it, then swap roles.
    (this.redIsCurrent ? this.blue : this.red).reset();
    this.redIsCurrent = !this.redIsCurrent;
    // Two intervals or more without a restart: the data now called previous is stale too.
    if (past >= this.intervalMs * 2) (this.redIsCurrent ? this.blue : this.red).reset();
    return past;
  }
}
