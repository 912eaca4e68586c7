import { MAX_ITEM_WEIGHT, TinyUfo, type CacheKey, type Evicted } from "@zp/tinyufo";
import { ResultRecord, type CacheResult } from "./cache-status.js";
import { coarseNow } from "./coarse-clock.js";
import { type Entry, EntryPool } from "./entry.js";
import { MemoryCacheRangeError } from "./errors.js";

/** The largest `estimatedSize` TinyUFO accepts. */
const MAX_ESTIMATED_SIZE = 2 ** 30;

function assertWholeNumber(what: string, value: number, max: number): void {
  if (!(Number.isInteger(value) && value >= 1 && value <= max)) {
    throw new MemoryCacheRangeError(`${what} must be an integer in 1..${max}, got ${value}`);
  }
}

/** Options of a {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /**
   * The expected number of entries (1..2³⁰); sizes TinyUFO's frequency sketch. Default:
   * `totalWeightLimit` (at most 2³⁰), right when every entry weighs 1. Pass the expected
   * entry count when weights are bytes: the sketch takes about 54 bytes per expected entry.
   */
  estimatedSize?: number;
  /**
   * The clock TTLs are measured on, in milliseconds. Default {@link coarseNow}: cheap to
   * read and at most one 10 ms tick off. Tests inject their own.
   */
  now?: () => number;
  /** Size the frequency sketch for a hundredth of `estimatedSize` (see `@zp/tinyufo`). */
  compact?: boolean;
  /** Seed of TinyUFO's key hashes; random by default. */
  seed?: number;
}

/**
 * An in-memory cache with a TTL per entry, on TinyUFO (S3-FIFO eviction, TinyLFU
 * admission). Expiry is checked lazily when an entry is read: an expired entry stays until
 * it is replaced, removed or evicted, so {@link getStale} can still serve it.
 *
 * Reads return a result record that the cache reuses for the next read: take what you need
 * from it (`const { value, status } = cache.get(key)`) before reading again. Neither
 * `get` nor `put` allocates, apart from what TinyUFO allocates to report evictions.
 *
 * Single-threaded, like everything in one event loop.
 */
export class MemoryCache<K extends CacheKey, V> {
  /** The clock TTLs are measured on, in milliseconds. */
  readonly now: () => number;
  private readonly store: TinyUfo<K, Entry<V>>;
  private readonly pool = new EntryPool<V>();
  private readonly result = new ResultRecord<V>();

  /**
   * @param totalWeightLimit The most total weight to hold (with weight 1 per entry: the
   *   entry count).
   * @param options See {@link MemoryCacheOptions}.
   */
  constructor(totalWeightLimit: number, options: MemoryCacheOptions = {}) {
    assertWholeNumber("totalWeightLimit", totalWeightLimit, Number.MAX_SAFE_INTEGER);
    if (options.estimatedSize !== undefined) assertWholeNumber("estimatedSize", options.estimatedSize, MAX_ESTIMATED_SIZE);
    const tinyUfoOptions = options.seed === undefined ? { compact: options.compact === true } : { compact: options.compact === true, seed: options.seed };
    const estimatedSize = options.estimatedSize ?? Math.min(totalWeightLimit, MAX_ESTIMATED_SIZE);
    this.store = new TinyUfo(totalWeightLimit, estimatedSize, tinyUfoOptions);
    this.now = options.now ?? coarseNow;
  }

  /** Number of entries held, expired ones included. */
  get size(): number {
    return this.store.size;
  }

  /** Total weight of the entries held, expired ones included. */
  get weight(): number {
    return this.store.weight;
  }

  /** The most total weight held once a `put` returns. */
  get totalWeightLimit(): number {
    return this.store.totalWeightLimit;
  }

  /**
   * Reads `key`. Status `hit` with the value when it has not expired; `stale` with the
   * value when it expired less than `staleWindowMs` ago; `expired` (no value) when it
   * expired longer ago; `miss` when it is not cached. `staleMs` tells how long ago an
   * expired entry expired.
   *
   * The returned record is reused by the next read of this cache.
   *
   * @param staleWindowMs How long after expiry an entry may still be served (default 0).
   */
  get(key: K, staleWindowMs = 0): CacheResult<V> {
    const result = this.result;
    const entry = this.store.get(key);
    if (entry === undefined) {
      result.value = undefined;
      result.status = "miss";
      result.staleMs = 0;
      return result;
    }
    const expiresAt = entry.expiresAt;
    if (expiresAt !== Number.POSITIVE_INFINITY) {
      const staleMs = this.now() - expiresAt;
      if (staleMs >= 0) {
        result.staleMs = staleMs;
        if (staleMs < staleWindowMs) {
          result.value = entry.value;
          result.status = "stale";
        } else {
          result.value = undefined;
          result.status = "expired";
        }
        return result;
      }
    }
    result.value = entry.value;
    result.status = "hit";
    result.staleMs = 0;
    return result;
  }

  /**
   * Reads `key` and returns its value even if it expired: status `hit`, `stale` (with
   * `staleMs`, how long ago it expired) or `miss`. The record is reused by the next read.
   */
  getStale(key: K): CacheResult<V> {
    return this.get(key, Number.POSITIVE_INFINITY);
  }

  /**
   * Puts `value` under `key`, subject to TinyUFO admission.
   *
   * @param ttlMs Time to live in milliseconds; `undefined` or `Infinity` for no expiry.
   *   A TTL `<= 0` stores nothing and removes any entry under `key`.
   * @param weight A positive integer (default 1), counted against `totalWeightLimit`.
   * @returns Whether the entry is now cached (`false` when admission rejected it, when it
   *   is heavier than the limit, or when `ttlMs <= 0`).
   * @throws {MemoryCacheRangeError} for a `NaN` TTL or a bad weight.
   */
  put(key: K, value: V, ttlMs?: number, weight = 1): boolean {
    return this.write(key, value, ttlMs, weight, false);
  }

  /**
   * Like {@link put} but always admits the entry, even when the one it displaces is more
   * popular; for values that callers are waiting for.
   */
  forcePut(key: K, value: V, ttlMs?: number, weight = 1): boolean {
    return this.write(key, value, ttlMs, weight, true);
  }

  /** Removes `key`; returns whether it was cached (expired or not). */
  remove(key: K): boolean {
    const entry = this.store.remove(key);
    if (entry === undefined) return false;
    this.pool.give(entry);
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    this.store.clear();
    this.pool.clear();
    this.result.value = undefined;
  }

  private write(key: K, value: V, ttlMs: number | undefined, weight: number, force: boolean): boolean {
    let expiresAt = Number.POSITIVE_INFINITY;
    if (ttlMs !== undefined && ttlMs !== Number.POSITIVE_INFINITY) {
      if (!(ttlMs > 0)) {
        if (Number.isNaN(ttlMs)) throw new MemoryCacheRangeError("ttlMs must be a number, got NaN");
        this.remove(key);
        return false;
      }
      expiresAt = this.now() + ttlMs;
    }
    if (weight !== 1 && !(Number.isInteger(weight) && weight >= 1 && weight <= MAX_ITEM_WEIGHT)) {
      throw new MemoryCacheRangeError(`weight must be an integer in 1..${MAX_ITEM_WEIGHT}, got ${weight}`);
    }
    const store = this.store;
    // Replacing reuses the entry in place; a new key takes a recycled one.
    const entry = store.peek(key) ?? this.pool.take();
    entry.value = value;
    entry.expiresAt = expiresAt;
    const evicted = force ? store.forcePut(key, entry, weight) : store.put(key, entry, weight);
    return evicted.length === 0 || this.recycle(evicted, entry);
  }

  /** Recycles the entries TinyUFO let go; returns whether `written` is still cached. */
  private recycle(evicted: readonly Evicted<K, Entry<V>>[], written: Entry<V>): boolean {
    let kept = true;
    for (let i = 0; i < evicted.length; i++) {
      const gone = evicted[i]!.data;
      if (gone === written) kept = false;
      this.pool.give(gone);
    }
    return kept;
  }
}
