import type { Evicted } from "./evicted.js";
import { hashKey, type ShardKey } from "./key-hash.js";
import { Lru } from "./lru.js";
import { invalidOption } from "./lru-error.js";
import { checkCapacity, checkLimit, checkWatermark, type LruOptions } from "./lru-options.js";

/** Options of {@link ShardedLru}: those of {@link Lru}, for the whole, plus the shards. */
export interface ShardedLruOptions<K, V> extends LruOptions<K, V> {
  /**
   * Number of shards (default 16). `limit`, `watermark` and `capacity` are split among
   * them, so each should be at least the number of shards.
   */
  shards?: number;
  /**
   * Maps a key to an unsigned 32-bit integer; equal keys must hash equally. The default
   * {@link hashKey} handles strings and numbers; give one for other key types.
   */
  hash?: (key: K) => number;
}

/** Default number of shards. */
export const DEFAULT_SHARDS = 16;

/**
 * N independent {@link Lru}s, a key's shard picked by a hash of the key, each bounded by
 * its share of `limit` and `watermark`. Evicting within one shard keeps every operation
 * O(1) whatever the size, and keeps shards small enough to stay cache-friendly. Recency
 * is per shard: eviction takes the least recent entry of the key's shard, which is a
 * close approximation of the global LRU when keys spread evenly.
 *
 * It has the same API as {@link Lru}; iteration visits shard 0 from the most to the least
 * recent entry, then shard 1, and so on.
 *
 * @example
 * ```ts
 * const lru = new ShardedLru<string, Uint8Array>({ limit: 256 * 1024 * 1024, shards: 32 });
 * lru.set(key, body, body.length);
 * ```
 */
export class ShardedLru<K, V> implements Iterable<[K, V]> {
  /** Total weight the LRU may hold, summed over the shards. */
  readonly limit: number;
  /** Number of entries the LRU may hold, summed over the shards. */
  readonly watermark: number;

  private readonly shards: Lru<K, V>[];
  private readonly hash: (key: K) => number;

  constructor(options: ShardedLruOptions<K, V> = {}) {
    const count = options.shards ?? DEFAULT_SHARDS;
    if (!Number.isInteger(count) || count < 1 || count > 65_536) invalidOption("shards", "an integer in [1, 65536]", count);
    this.limit = checkLimit("limit", options.limit);
    this.watermark = checkWatermark(options.watermark);
    const capacity = Math.ceil(checkCapacity(options.capacity) / count);
    this.hash = options.hash ?? (hashKey as (key: K) => number);
    this.shards = [];
    for (let i = 0; i < count; i++) {
      this.shards.push(
        new Lru<K, V>({
          limit: shareOf(this.limit, count, i),
          watermark: shareOf(this.watermark, count, i),
          capacity,
          ...(options.onEvict === undefined ? {} : { onEvict: options.onEvict }),
        }),
      );
    }
  }

  /** Number of shards. */
  get shardCount(): number {
    return this.shards.length;
  }

  /** Total weight of the entries held (sums the shards). */
  get weight(): number {
    let total = 0;
    for (const shard of this.shards) total += shard.weight;
    return total;
  }

  /** Number of entries held (sums the shards). */
  get len(): number {
    let total = 0;
    for (const shard of this.shards) total += shard.len;
    return total;
  }

  /** Whether any shard is over its share of `limit` or `watermark`. */
  get overLimit(): boolean {
    for (const shard of this.shards) if (shard.overLimit) return true;
    return false;
  }

  /** The index of the shard that holds `key`. */
  shardOf(key: K): number {
    return (this.hash(key) >>> 0) % this.shards.length;
  }

  /** The shard at `index` (for per-shard weights, lengths and eviction). */
  shard(index: number): Lru<K, V> {
    const shard = this.shards[index];
    if (shard === undefined) throw new RangeError(`no shard ${index}: there are ${this.shards.length}`);
    return shard;
  }

  /** {@link Lru.admit} in the key's shard. @returns the new total weight of all shards. */
  admit(key: K, value: V, weight = 1): number {
    this.shardFor(key).admit(key, value, weight);
    return this.weight;
  }

  /** {@link Lru.set} in the key's shard: evicts within that shard only. */
  set(key: K, value: V, weight = 1): boolean {
    return this.shardFor(key).set(key, value, weight);
  }

  /** {@link Lru.insertTail} in the key's shard. */
  insertTail(key: K, value: V, weight = 1): boolean {
    return this.shardFor(key).insertTail(key, value, weight);
  }

  /** {@link Lru.get}: the value, made the most recent entry of its shard. */
  get(key: K): V | undefined {
    return this.shardFor(key).get(key);
  }

  /** {@link Lru.peek}: the value without changing the order. */
  peek(key: K): V | undefined {
    return this.shardFor(key).peek(key);
  }

  /** {@link Lru.weightOf}: the key's weight without changing the order. */
  weightOf(key: K): number | undefined {
    return this.shardFor(key).weightOf(key);
  }

  /** Whether `key` is present. */
  has(key: K): boolean {
    return this.shardFor(key).has(key);
  }

  /** {@link Lru.promote} in the key's shard. */
  promote(key: K): boolean {
    return this.shardFor(key).promote(key);
  }

  /** {@link Lru.promoteTopN} in the key's shard (`n` counts within the shard). */
  promoteTopN(key: K, n: number): boolean {
    return this.shardFor(key).promoteTopN(key, n);
  }

  /** {@link Lru.remove}: takes `key` out and returns it. */
  remove(key: K): Evicted<K, V> | undefined {
    return this.shardFor(key).remove(key);
  }

  /** {@link Lru.delete}: takes `key` out. */
  delete(key: K): boolean {
    return this.shardFor(key).delete(key);
  }

  /**
   * Evicts every shard down to its share of the limits.
   * @returns the evicted entries, shard by shard, least recent first within a shard.
   */
  evictToLimit(): Evicted<K, V>[] {
    const evicted: Evicted<K, V>[] = [];
    for (const shard of this.shards) {
      if (shard.overLimit) for (const entry of shard.evictToLimit()) evicted.push(entry);
    }
    return evicted;
  }

  /**
   * Evicts the least recent entry of the heaviest shard (the one whose eviction helps
   * most), whatever the limits.
   * @returns it, or `undefined` when empty.
   */
  evictOne(): Evicted<K, V> | undefined {
    let heaviest: Lru<K, V> | undefined;
    for (const shard of this.shards) {
      if (shard.len > 0 && (heaviest === undefined || shard.weight > heaviest.weight)) heaviest = shard;
    }
    return heaviest?.evictOne();
  }

  /** Removes every entry. */
  clear(): void {
    for (const shard of this.shards) shard.clear();
  }

  /** `[key, value]` pairs, shard by shard, each from the most to the least recent. */
  *entries(): IterableIterator<[K, V]> {
    for (const shard of this.shards) yield* shard.entries();
  }

  /** Keys in the order of {@link ShardedLru.entries}. */
  *keys(): IterableIterator<K> {
    for (const shard of this.shards) yield* shard.keys();
  }

  /** Values in the order of {@link ShardedLru.entries}. */
  *values(): IterableIterator<V> {
    for (const shard of this.shards) yield* shard.values();
  }

  /** Same as {@link ShardedLru.entries}. */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  private shardFor(key: K): Lru<K, V> {
    return this.shards[(this.hash(key) >>> 0) % this.shards.length]!;
  }
}

/** Shard `index`'s part of `total`: integers split exactly (the first shards take the remainder). */
function shareOf(total: number, count: number, index: number): number {
  if (!Number.isFinite(total)) return total;
  if (!Number.isInteger(total)) return total / count;
  const base = Math.floor(total / count);
  return index < total % count ? base + 1 : base;
}
