import { requireInteger } from "./errors.js";
import { hashKey, makeSeed, rowSeeds, slotOf, type Key } from "./key-hash.js";

/** Options for {@link Estimator}. */
export interface EstimatorOptions {
  /** Seed of the row hashes (default: random per instance, so keys cannot be aimed at collisions). */
  seed?: number;
}

/**
 * A count-min sketch: `hashes` rows of `slots` counters, memory fixed at
 * `hashes * slots * 8` bytes whatever the number of keys. Each key maps to one counter per
 * row; the estimate is the smallest of them, which is never below the true count while
 * counts only grow (other keys can only add to a shared counter).
 *
 * Counters are a `Float64Array`: integer counts are exact up to `Number.MAX_SAFE_INTEGER`
 * (2^53 - 1) and never wrap around to negative numbers; past that they round. Negative `n`
 * and `decr` below zero are allowed (a counter simply goes negative), as in a plain sum.
 *
 * @example
 * ```ts
 * const est = new Estimator(4, 1024);
 * est.incr("10.0.0.1", 1); // 1
 * est.incr("10.0.0.1", 2); // 3
 * est.get("10.0.0.1"); // 3
 * ```
 */
export class Estimator {
  /** Number of rows (independent hash functions). */
  readonly hashes: number;
  /** Counters per row. */
  readonly slots: number;
  private readonly counters: Float64Array;
  private readonly seeds: Int32Array;
  private readonly seed: number;

  /**
   * @param hashes rows, 1..64; more rows make over-estimates rarer and each call slower.
   * @param slots counters per row, 1..2^26; more slots make collisions rarer.
   */
  constructor(hashes: number, slots: number, options: EstimatorOptions = {}) {
    requireInteger("hashes", hashes, 1, 64);
    requireInteger("slots", slots, 1, 1 << 26);
    this.hashes = hashes;
    this.slots = slots;
    this.counters = new Float64Array(hashes * slots);
    this.seed = makeSeed(options.seed);
    this.seeds = rowSeeds(this.seed, hashes);
  }

  /** Adds `n` (default 1) to `key` and returns its new estimate. */
  incr(key: Key, n = 1): number {
    hashKey(key, this.seed);
    const counters = this.counters;
    const seeds = this.seeds;
    const slots = this.slots;
    let min = Number.POSITIVE_INFINITY;
    for (let row = 0, base = 0; row < seeds.length; row++, base += slots) {
      const at = base + slotOf(row, seeds[row]!, slots);
      const value = counters[at]! + n;
      counters[at] = value;
      if (value < min) min = value;
    }
    return min;
  }

  /** Subtracts `n` (default 1) from `key`, undoing an `incr(key, n)`, and returns its new estimate. */
  decr(key: Key, n = 1): number {
    return this.incr(key, -n);
  }

  /** The estimated count of `key`: never below the true count of an increment-only key. */
  get(key: Key): number {
    hashKey(key, this.seed);
    const counters = this.counters;
    const seeds = this.seeds;
    const slots = this.slots;
    let min = Number.POSITIVE_INFINITY;
    for (let row = 0, base = 0; row < seeds.length; row++, base += slots) {
      const value = counters[base + slotOf(row, seeds[row]!, slots)]!;
      if (value < min) min = value;
    }
    return min;
  }

  /** Sets every counter back to 0. */
  reset(): void {
    this.counters.fill(0);
  }

  /** Bytes held by the counters (fixed for the life of the estimator). */
  get byteLength(): number {
    return this.counters.byteLength;
  }
}
