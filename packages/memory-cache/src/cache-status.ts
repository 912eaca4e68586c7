/**
 * How {@link MemoryCache.get} and {@link MemoryCache.getStale} found a key:
 *
 * - `hit`: present and not expired.
 * - `miss`: not in the cache.
 * - `expired`: present but expired, beyond the stale window the caller allowed
 *   (no value is returned).
 * - `stale`: expired, but within the stale window the caller allowed (the value is
 *   returned, with how long it has been stale).
 */
export type MemoryCacheStatus = "hit" | "miss" | "expired" | "stale";

/**
 * How {@link RTCache.get} produced its value: the {@link MemoryCacheStatus} values, plus
 * `lockHit` when the caller waited for a lookup that another caller started.
 * `miss` and `expired` mean this caller ran the lookup itself.
 */
export type CacheStatus = MemoryCacheStatus | "lockHit";

/** Whether a status means the value came from the cache (`hit`, `stale` or `lockHit`). */
export function isHit(status: CacheStatus): boolean {
  return status === "hit" || status === "stale" || status === "lockHit";
}

/** The outcome of a {@link MemoryCache} read. */
export interface CacheResult<V> {
  /** The value, or `undefined` for `miss` and `expired`. */
  readonly value: V | undefined;
  /** How the key was found. */
  readonly status: MemoryCacheStatus;
  /** For `stale` and `expired`: milliseconds since the entry expired; otherwise 0. */
  readonly staleMs: number;
}

/** The mutable record a cache reuses for every read (never handed out as mutable). */
export class ResultRecord<V> implements CacheResult<V> {
  value: V | undefined = undefined;
  status: MemoryCacheStatus = "miss";
  staleMs = 0;
}
