import { monotonicClock, type Clock } from "./clock.js";
import { requireInteger, requirePositive, requireTokens } from "./errors.js";
import { hashKey, makeSeed, rowSeeds, slotOf, type Key } from "./key-hash.js";

/** Options for {@link KeyedTokenBucket}. */
export interface KeyedTokenBucketOptions {
  /** Most tokens a key's bucket holds: its largest burst (> 0). */
  capacity: number;
  /** Tokens each key gets back per second (> 0). */
  refillPerSecond: number;
  /** Rows of the table (default 4). */
  hashes?: number;
  /** Cells per row (default 16384); memory is `hashes * slots * 8` bytes. */
  slots?: number;
  /** Time source in ms (default `performance.now()`). */
  now?: Clock;
  /** Hash seed (default random). */
  seed?: number;
}

/**
 * One token bucket per key, in fixed memory whatever the number of keys.
 *
 * Each bucket is kept as a single number, its "theoretical arrival time" (GCRA, the
 * generic cell rate algorithm): the moment its bucket would be full again. A token taken
 * pushes that moment `1 / refillPerSecond` seconds later; a request is admitted while the
 * moment stays within `capacity` tokens' worth of time from now. Those moments live in a
 * count-min table: a key reads the earliest of its cells and, when admitted, raises each of
 * its cells to its new moment. Cells shared with other keys only ever hold later moments,
 * so a key is never admitted more than its own bucket allows; a key whose cells all
 * collide with busy keys may be refused early. Idle keys cost nothing: a moment in the past
 * reads as a full bucket.
 *
 * @example
 * ```ts
 * const perClient = new KeyedTokenBucket({ capacity: 20, refillPerSecond: 10 });
 * if (!perClient.tryTake(clientIp)) reply(429, { "retry-after": Math.ceil(perClient.retryAfterMs(clientIp) / 1000) });
 * ```
 */
export class KeyedTokenBucket {
  /** Most tokens a key's bucket holds. */
  readonly capacity: number;
  /** Tokens each key gets back per second. */
  readonly refillPerSecond: number;
  private readonly msPerToken: number;
  /** How far ahead of now a bucket's full-again moment may be: `capacity` tokens of time. */
  private readonly tolerance: number;
  private readonly slots: number;
  private readonly cells: Float64Array;
  private readonly seeds: Int32Array;
  private readonly seed: number;
  private readonly now: Clock;

  constructor(options: KeyedTokenBucketOptions) {
    requirePositive("capacity", options.capacity);
    requirePositive("refillPerSecond", options.refillPerSecond);
    const hashes = options.hashes ?? 4;
    const slots = options.slots ?? 16384;
    requireInteger("hashes", hashes, 1, 64);
    requireInteger("slots", slots, 1, 1 << 26);
    this.capacity = options.capacity;
    this.refillPerSecond = options.refillPerSecond;
    this.msPerToken = 1000 / options.refillPerSecond;
    this.tolerance = options.capacity * this.msPerToken;
    this.slots = slots;
    // -Infinity: "full since forever", whatever origin the clock has.
    this.cells = new Float64Array(hashes * slots).fill(Number.NEGATIVE_INFINITY);
    this.seed = makeSeed(options.seed);
    this.seeds = rowSeeds(this.seed, hashes);
    this.now = options.now ?? monotonicClock;
  }

  /** Takes `n` (default 1) tokens from `key`'s bucket if that many are there; returns whether it did. */
  tryTake(key: Key, n = 1): boolean {
    requireTokens(n);
    const now = this.now();
    const next = this.fullAgainAt(key, now) + n * this.msPerToken;
    if (next - now > this.tolerance) return false;
    const cells = this.cells;
    const seeds = this.seeds;
    const slots = this.slots;
    // `lanes` still holds this key's hash from fullAgainAt.
    for (let row = 0, base = 0; row < seeds.length; row++, base += slots) {
      const at = base + slotOf(row, seeds[row]!, slots);
      if (cells[at]! < next) cells[at] = next;
    }
    return true;
  }

  /**
   * Milliseconds until `key`'s bucket holds `n` (default 1) tokens (0 if it does now),
   * rounded up; `Infinity` if `n` exceeds the capacity.
   */
  retryAfterMs(key: Key, n = 1): number {
    requireTokens(n);
    if (n > this.capacity) return Number.POSITIVE_INFINITY;
    const now = this.now();
    const wait = this.fullAgainAt(key, now) + n * this.msPerToken - this.tolerance - now;
    return wait <= 0 ? 0 : Math.ceil(wait);
  }

  /** Tokens in `key`'s bucket now (an estimate that is never above the truth). */
  tokens(key: Key): number {
    const now = this.now();
    return this.capacity - (this.fullAgainAt(key, now) - now) / this.msPerToken;
  }

  /** Refills every bucket. */
  reset(): void {
    this.cells.fill(Number.NEGATIVE_INFINITY);
  }

  /** Bytes held by the table (fixed). */
  get byteLength(): number {
    return this.cells.byteLength;
  }

  /** The earliest of `key`'s cells, but not before `now` (a full bucket cannot save up more). */
  private fullAgainAt(key: Key, now: number): number {
    hashKey(key, this.seed);
    const cells = this.cells;
    const seeds = this.seeds;
    const slots = this.slots;
    let min = Number.POSITIVE_INFINITY;
    for (let row = 0, base = 0; row < seeds.length; row++, base += slots) {
      const value = cells[base + slotOf(row, seeds[row]!, slots)]!;
      if (value < min) min = value;
    }
    return min > now ? min : now;
  }
}
