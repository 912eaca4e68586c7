import type { CacheKey } from "@zp/tinyufo";
import type { CacheStatus } from "./cache-status.js";
import { MemoryCacheRangeError } from "./errors.js";
import { MemoryCache, type MemoryCacheOptions } from "./memory-cache.js";
import { waitFor } from "./wait-for.js";

/** What a {@link Lookup} found for a key. */
export interface LookupResult<V> {
  /** The value to return and cache. */
  value: V;
  /**
   * Time to live in milliseconds; falls back to the `ttlMs` option of the `get` that
   * started the lookup, then to no expiry. A TTL `<= 0` returns the value uncached.
   */
  ttlMs?: number;
  /** Weight of the entry (default 1). */
  weight?: number;
}

/** Loads the value of a key on a miss; rejects (or throws) when it cannot. */
export type Lookup<K, V> = (key: K) => Promise<LookupResult<V>>;

/**
 * Options of one {@link RTCache.get}. The ones about the lookup (`ttlMs`,
 * `negativeTtlMs`) are those of the caller that starts it; the others are per caller.
 * A proxy passes the same constant object on every call.
 */
export interface RTGetOptions {
  /** TTL for a looked-up value whose lookup gives none (default: no expiry). */
  ttlMs?: number;
  /**
   * How long to wait for a lookup another caller started before rejecting with a
   * {@link LookupTimeoutError} (default `Infinity`). The caller that started the lookup
   * always waits for it.
   */
  waitTimeoutMs?: number;
  /**
   * Stale-while-update: an entry that expired less than this long ago is returned at once
   * with status `stale`, and one background lookup refreshes it (default 0: never).
   */
  staleWhileUpdateMs?: number;
  /**
   * Stale-while-error: when a lookup fails (or the wait for one times out), an entry that
   * expired less than this long ago is returned with status `stale` instead of the error
   * (default 0: never). A failed background refresh never removes the stale entry.
   */
  staleWhileErrorMs?: number;
  /**
   * Negative caching: remember a failed lookup's error for this long; meanwhile `get`
   * rejects with it (or serves stale, see `staleWhileErrorMs`) without a new lookup, and
   * no background refresh starts (default 0: errors are not cached).
   */
  negativeTtlMs?: number;
}

/** What {@link RTCache.get} resolves to. */
export interface RTResult<V> {
  /** The cached or looked-up value. */
  readonly value: V;
  /** How it was obtained. */
  readonly status: CacheStatus;
  /** For `stale`: milliseconds since the entry expired; otherwise 0. */
  readonly staleMs: number;
}

/** Options of an {@link RTCache}. */
export interface RTCacheOptions extends MemoryCacheOptions {
  /** How many failed lookups negative caching remembers at most (default 1024). */
  negativeCapacity?: number;
}

class Outcome<V> implements RTResult<V> {
  readonly value: V;
  readonly status: CacheStatus;
  readonly staleMs: number;

  constructor(value: V, status: CacheStatus, staleMs: number) {
    this.value = value;
    this.status = status;
    this.staleMs = staleMs;
  }
}

const NO_OPTIONS: RTGetOptions = Object.freeze({});
const DEFAULT_NEGATIVE_CAPACITY = 1024;
const ignore = (): void => {};

/**
 * A read-through cache on {@link MemoryCache}: a miss runs the caller's lookup and caches
 * what it returns.
 *
 * - **Coalescing:** concurrent misses on one key run one lookup; the other callers wait
 *   for it (status `lockHit`), each within its own `waitTimeoutMs`.
 * - **Errors:** a failed lookup rejects every waiting caller with its error and caches
 *   nothing (unless `negativeTtlMs` asks); the next `get` looks up again.
 * - **Stale-while-update** and **stale-while-error**, per call (see {@link RTGetOptions}).
 *
 * Lookups are not cancelled or timed here: bound them yourself (e.g. with `timeout()` from
 * `@zp/timeout`), or a lookup that never settles holds its key's waiters until theirs
 * time out.
 */
export class RTCache<K extends CacheKey, V> {
  /** The underlying cache, for synchronous reads and direct puts. */
  readonly cache: MemoryCache<K, V>;
  private readonly failures: MemoryCache<K, unknown>;
  private readonly flights = new Map<K, Promise<V>>();

  /**
   * @param totalWeightLimit The most total weight to hold (see {@link MemoryCache}).
   * @param options See {@link RTCacheOptions}.
   */
  constructor(totalWeightLimit: number, options: RTCacheOptions = {}) {
    this.cache = new MemoryCache<K, V>(totalWeightLimit, options);
    const negativeCapacity = options.negativeCapacity ?? DEFAULT_NEGATIVE_CAPACITY;
    this.failures = new MemoryCache<K, unknown>(negativeCapacity, { now: this.cache.now });
  }

  /** Number of entries held, expired ones included. */
  get size(): number {
    return this.cache.size;
  }

  /** Total weight of the entries held. */
  get weight(): number {
    return this.cache.weight;
  }

  /** Number of lookups in flight (foreground and background). */
  get pendingLookups(): number {
    return this.flights.size;
  }

  /**
   * Returns the value of `key`, from the cache or else from `lookup`, with how it was
   * obtained (see {@link CacheStatus}).
   *
   * @throws (as a rejection) the lookup's error, a {@link LookupTimeoutError} when the
   *   wait for another caller's lookup runs out, or a {@link MemoryCacheRangeError} for a
   *   bad `waitTimeoutMs` or a bad TTL or weight from the lookup.
   */
  get(key: K, lookup: Lookup<K, V>, options: RTGetOptions = NO_OPTIONS): Promise<RTResult<V>> {
    const found = this.cache.getStale(key);
    const status = found.status;
    if (status === "hit") return Promise.resolve(new Outcome(found.value as V, "hit", 0));
    if (status === "stale") {
      const staleMs = found.staleMs;
      if (staleMs < (options.staleWhileUpdateMs ?? 0)) {
        const value = found.value as V;
        if (!this.flights.has(key) && this.failures.get(key).status !== "hit") this.launch(key, lookup, options);
        return Promise.resolve(new Outcome(value, "stale", staleMs));
      }
      return this.viaLookup(key, lookup, options, "expired");
    }
    return this.viaLookup(key, lookup, options, "miss");
  }

  /** Removes `key` (and any remembered failure); returns whether a value was cached. */
  remove(key: K): boolean {
    this.failures.remove(key);
    return this.cache.remove(key);
  }

  /** Removes every entry and remembered failure. Lookups in flight go on and fill the cache. */
  clear(): void {
    this.cache.clear();
    this.failures.clear();
  }

  /** The slow path: join or start the key's lookup. Runs synchronously up to its first await. */
  private async viaLookup(key: K, lookup: Lookup<K, V>, options: RTGetOptions, status: "miss" | "expired"): Promise<RTResult<V>> {
    const failure = this.failures.get(key);
    if (failure.status === "hit") return this.failed(key, failure.value, options);
    const flight = this.flights.get(key);
    if (flight === undefined) {
      try {
        return new Outcome(await this.launch(key, lookup, options), status, 0);
      } catch (err) {
        return this.failed(key, err, options);
      }
    }
    const waitMs = options.waitTimeoutMs ?? Number.POSITIVE_INFINITY;
    if (!(waitMs >= 0)) throw new MemoryCacheRangeError(`waitTimeoutMs must be >= 0, got ${waitMs}`);
    try {
      return new Outcome(await waitFor(flight, key, waitMs), "lockHit", 0);
    } catch (err) {
      return this.failed(key, err, options);
    }
  }

  /** Starts the single lookup of `key`; it caches its value, or its error if asked. */
  private launch(key: K, lookup: Lookup<K, V>, options: RTGetOptions): Promise<V> {
    let pending: Promise<LookupResult<V>>;
    try {
      pending = Promise.resolve(lookup(key));
    } catch (err) {
      pending = Promise.reject(err);
    }
    const flight: Promise<V> = pending.then(
      (found) => {
        this.land(key, flight);
        this.failures.remove(key);
        this.cache.forcePut(key, found.value, found.ttlMs ?? options.ttlMs, found.weight ?? 1);
        return found.value;
      },
      (err: unknown) => {
        this.land(key, flight);
        const negativeTtlMs = options.negativeTtlMs ?? 0;
        if (negativeTtlMs > 0) this.failures.forcePut(key, err, negativeTtlMs);
        throw err;
      },
    );
    // A background refresh has no caller to take its error.
    flight.catch(ignore);
    this.flights.set(key, flight);
    return flight;
  }

  private land(key: K, flight: Promise<V>): void {
    if (this.flights.get(key) === flight) this.flights.delete(key);
  }

  /** Serves a stale entry within the caller's stale-while-error window, or rethrows. */
  private failed(key: K, err: unknown, options: RTGetOptions): RTResult<V> {
    const windowMs = options.staleWhileErrorMs ?? 0;
    if (windowMs > 0) {
      const found = this.cache.getStale(key);
      if (found.status === "stale" && found.staleMs < windowMs) return new Outcome(found.value as V, "stale", found.staleMs);
    }
    throw err;
  }
}
