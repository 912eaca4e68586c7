import { invalidOption } from "./lru-error.js";

/** Options of {@link Lru}. */
export interface LruOptions<K, V> {
  /**
   * Total weight the LRU may hold (default `Infinity`). `set` and `evictToLimit` evict
   * from the least recent end until the total weight is at most this.
   */
  limit?: number;
  /**
   * Number of entries the LRU may hold (default `Infinity`): evict when the length
   * exceeds it even if the weight is under `limit`.
   */
  watermark?: number;
  /**
   * Slots to allocate up front (default 16). The slot arrays double when full, so this
   * only saves the growth steps; set it to the expected length on hot paths.
   */
  capacity?: number;
  /**
   * Called for each entry that `set` evicts to make room, after it has been taken out.
   * It must not change the LRU it is called from. `evictToLimit`, `evictOne` and
   * `remove` return what they take out instead of calling it.
   */
  onEvict?: (key: K, value: V, weight: number) => void;
}

/** Default number of slots allocated when no capacity is given. */
export const DEFAULT_CAPACITY = 16;

/**
 * Largest capacity (2^28 entries): every node offset (4 × slot) then stays a small
 * integer, which V8 keeps unboxed in the key Map and in locals.
 */
export const MAX_CAPACITY = 2 ** 28;

/** Checks a limit-like option: a number >= 0, `Infinity` allowed. */
export function checkLimit(name: string, value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (typeof value !== "number" || !(value >= 0)) invalidOption(name, "a number >= 0", value);
  return value;
}

/** Checks a watermark: an integer >= 0 or `Infinity`. */
export function checkWatermark(value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (typeof value !== "number" || !(value >= 0) || (value !== Infinity && !Number.isInteger(value))) {
    invalidOption("watermark", "an integer >= 0 or Infinity", value);
  }
  return value;
}

/** Checks the preset capacity: an integer in [1, MAX_CAPACITY]. */
export function checkCapacity(value: number | undefined): number {
  if (value === undefined) return DEFAULT_CAPACITY;
  if (!Number.isInteger(value) || value < 1 || value > MAX_CAPACITY) {
    invalidOption("capacity", `an integer in [1, ${MAX_CAPACITY}]`, value);
  }
  return value;
}
