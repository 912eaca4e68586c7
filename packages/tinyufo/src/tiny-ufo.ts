import { assertIntegerInRange, MAX_ITEM_WEIGHT } from "./errors.js";
import { hashKey, type CacheKey } from "./hash-key.js";
import { MAIN, SMALL, SlotStore } from "./slot-store.js";
import { TinyLfu } from "./tiny-lfu.js";

/** An item that left the cache (or never got in) during a `put`. */
export interface Evicted<K extends CacheKey, V> {
  readonly key: K;
  readonly data: V;
  readonly weight: number;
}

/** The queue an item is in: new items start in `small`, items used again move to `main`. */
export type QueueName = "small" | "main";

/** Options of a {@link TinyUfo} cache. */
export interface TinyUfoOptions {
  /**
   * Size the frequency sketch for a hundredth of `estimatedSize` items: much less
   * memory for large caches, a slightly lower hit ratio. Default `false`.
   */
  compact?: boolean;
  /** Seed of the key hashes. Default: random per cache, so keys cannot be crafted to collide. */
  seed?: number;
}

// The per-item use count is capped low so the main queue always finds a victim quickly.
const USES_CAP = 3;
const SMALL_QUEUE_SHARE = Math.fround(0.1);
const NOTHING_EVICTED: readonly never[] = Object.freeze([]);

interface MutableEvicted<K extends CacheKey, V> {
  key: K;
  data: V;
  weight: number;
}

/**
 * TinyUFO: an in-memory cache with S3-FIFO eviction and TinyLFU admission, after
 * Pingora's `tinyufo` crate.
 *
 * - New items enter the small queue (10% of the weight limit, plus one).
 * - An item leaving the small queue moves to the main queue if it was read more than
 *   once there, otherwise it is evicted.
 * - The main queue gives items a second chance: each pass costs one use (up to 3).
 * - When a new item displaces exactly one item, TinyLFU compares their estimated
 *   frequencies; if the victim is strictly more popular, it stays and the new item
 *   is rejected (returned by `put` as evicted).
 *
 * Single-threaded; every operation is O(1) amortised.
 */
export class TinyUfo<K extends CacheKey, V> {
  /** The most total weight the cache holds after a `put` returns. */
  readonly totalWeightLimit: number;
  private readonly smallWeightLimit: number;
  private smallWeight = 0;
  private mainWeight = 0;
  private readonly index = new Map<K, number>();
  private readonly slots: SlotStore<K, V>;
  private readonly lfu: TinyLfu;
  private readonly seed: number;
  /** Hash of the item the last `evictOne` returned. */
  private lastEvictedHash = 0;

  /**
   * @param totalWeightLimit the most total weight to hold (with weight 1 per item: the item count)
   * @param estimatedSize the expected number of items; sizes the frequency sketch and its ageing window
   * @param options see {@link TinyUfoOptions}
   */
  constructor(totalWeightLimit: number, estimatedSize: number, options: TinyUfoOptions = {}) {
    assertIntegerInRange("totalWeightLimit", totalWeightLimit, 1, Number.MAX_SAFE_INTEGER);
    assertIntegerInRange("estimatedSize", estimatedSize, 1, 2 ** 30);
    this.totalWeightLimit = totalWeightLimit;
    // Computed in single precision like the original, so the limits match exactly.
    this.smallWeightLimit = Math.floor(Math.fround(Math.fround(totalWeightLimit) * SMALL_QUEUE_SHARE)) + 1;
    this.seed = options.seed === undefined ? (Math.random() * 0x1_0000_0000) | 0 : options.seed | 0;
    this.lfu = new TinyLfu(estimatedSize, options.compact === true, this.seed ^ 0x5f3759df);
    this.slots = new SlotStore(Math.min(estimatedSize, 65_536));
  }

  /** A cache with a compact frequency sketch (see {@link TinyUfoOptions.compact}). */
  static compact<K extends CacheKey, V>(totalWeightLimit: number, estimatedSize: number, seed?: number): TinyUfo<K, V> {
    return new TinyUfo<K, V>(totalWeightLimit, estimatedSize, seed === undefined ? { compact: true } : { compact: true, seed });
  }

  /** Number of items in the cache. */
  get size(): number {
    return this.index.size;
  }

  /** Total weight of the items in the cache. */
  get weight(): number {
    return this.smallWeight + this.mainWeight;
  }

  /** Reads `key`, counting one use of it. */
  get(key: K): V | undefined {
    const slot = this.index.get(key);
    if (slot === undefined) return undefined;
    const uses = this.slots.uses;
    if (uses[slot]! < USES_CAP) uses[slot]!++;
    return this.slots.values[slot];
  }

  /** Reads `key` without counting a use. */
  peek(key: K): V | undefined {
    const slot = this.index.get(key);
    return slot === undefined ? undefined : this.slots.values[slot];
  }

  /** Whether `key` is in the cache (counts no use). */
  has(key: K): boolean {
    return this.index.has(key);
  }

  /** The queue `key` is in, or `undefined` when it is not cached. */
  queueOf(key: K): QueueName | undefined {
    const slot = this.index.get(key);
    if (slot === undefined) return undefined;
    return this.slots.queues[slot] === MAIN ? "main" : "small";
  }

  /**
   * Puts `data` under `key` with `weight` (a positive integer), subject to TinyLFU
   * admission. Returns what left the cache, oldest first. A rejected new item is
   * in that list too, and an item heavier than `totalWeightLimit` is never stored
   * (it is returned at once, and an older entry under `key` is dropped).
   * Returns a shared empty array when nothing was evicted.
   */
  put(key: K, data: V, weight = 1): readonly Evicted<K, V>[] {
    return this.admit(key, data, weight, false);
  }

  /**
   * Like {@link put} but always admits the new item, even when the item it displaces
   * is more popular; useful when readers already wait for this item.
   */
  forcePut(key: K, data: V, weight = 1): readonly Evicted<K, V>[] {
    return this.admit(key, data, weight, true);
  }

  /** Removes `key`; returns its value, or `undefined` when it was not cached. */
  remove(key: K): V | undefined {
    const slot = this.index.get(key);
    if (slot === undefined) return undefined;
    const slots = this.slots;
    const value = slots.values[slot];
    if (slots.queues[slot] === MAIN) this.mainWeight -= slots.weights[slot]!;
    else this.smallWeight -= slots.weights[slot]!;
    slots.unlink(slot);
    slots.release(slot);
    this.index.delete(key);
    return value;
  }

  /** Removes every item. The frequency sketch keeps its counts. */
  clear(): void {
    this.index.clear();
    this.slots.clear();
    this.smallWeight = 0;
    this.mainWeight = 0;
  }

  private admit(key: K, data: V, weight: number, ignoreLfu: boolean): readonly Evicted<K, V>[] {
    if (!(weight >= 1 && weight <= MAX_ITEM_WEIGHT && Number.isInteger(weight))) {
      assertIntegerInRange("weight", weight, 1, MAX_ITEM_WEIGHT);
    }
    if (weight > this.totalWeightLimit) {
      this.remove(key);
      return [{ key, data, weight }];
    }
    const hash = hashKey(key, this.seed);
    // Only admissions feed the sketch, so it mostly tracks the less popular items.
    const newFrequency = this.lfu.increment(hash);
    const slots = this.slots;
    const existing = this.index.get(key);
    if (existing !== undefined) {
      if (slots.uses[existing]! < USES_CAP) slots.uses[existing]!++;
      const delta = weight - slots.weights[existing]!;
      if (slots.queues[existing] === MAIN) this.mainWeight += delta;
      else this.smallWeight += delta;
      slots.weights[existing] = weight;
      slots.values[existing] = data;
      // The item itself may be the one evicted here; that is accepted.
      return this.evictToLimit(0);
    }

    const evicted = this.evictToLimit(weight);
    // TinyLFU compares the newcomer with a single victim only: frequencies of
    // several victims of different weights have no obvious combination.
    if (!ignoreLfu && evicted.length === 1) {
      const victim = evicted[0] as MutableEvicted<K, V>;
      const victimHash = this.lastEvictedHash;
      if (this.lfu.isMoreFrequentThan(victimHash, newFrequency)) {
        // Put the victim back (as a fresh small-queue item) and reject the newcomer.
        this.insert(victim.key, victim.data, victim.weight, victimHash);
        victim.key = key;
        victim.data = data;
        victim.weight = weight;
        return evicted;
      }
    }
    this.insert(key, data, weight, hash);
    return evicted;
  }

  private insert(key: K, data: V, weight: number, hash: number): void {
    const slot = this.slots.allocate(key, data, weight, hash);
    this.slots.pushBack(SMALL, slot);
    this.smallWeight += weight;
    this.index.set(key, slot);
  }

  /** Evicts until `extraWeight` more fits under the limit (or nothing is left). */
  private evictToLimit(extraWeight: number): readonly Evicted<K, V>[] {
    const limit = this.totalWeightLimit;
    if (this.smallWeight + this.mainWeight + extraWeight <= limit) return NOTHING_EVICTED;
    const evicted: Evicted<K, V>[] = [];
    while (this.smallWeight + this.mainWeight + extraWeight > limit) {
      const item = this.evictOne();
      if (item === undefined) break;
      evicted.push(item);
    }
    return evicted;
  }

  private evictOne(): Evicted<K, V> | undefined {
    if (this.smallWeight >= this.smallWeightLimit) {
      // The small queue may promote everything it holds and evict nothing.
      const item = this.evictFromSmall();
      if (item !== undefined) return item;
    }
    return this.evictFromMain();
  }

  private evictFromSmall(): Evicted<K, V> | undefined {
    const slots = this.slots;
    for (;;) {
      const slot = slots.smallHead;
      if (slot === -1) return undefined;
      const weight = slots.weights[slot]!;
      slots.unlink(slot);
      this.smallWeight -= weight;
      if (slots.uses[slot]! > 1) {
        slots.pushBack(MAIN, slot);
        this.mainWeight += weight;
        continue;
      }
      return this.evictSlot(slot, weight);
    }
  }

  private evictFromMain(): Evicted<K, V> | undefined {
    const slots = this.slots;
    for (;;) {
      const slot = slots.mainHead;
      if (slot === -1) return undefined;
      const uses = slots.uses[slot]!;
      if (uses > 0) {
        // Second chance: spend one use and go round again.
        slots.uses[slot] = uses - 1;
        slots.rotateMain();
        continue;
      }
      const weight = slots.weights[slot]!;
      slots.unlink(slot);
      this.mainWeight -= weight;
      return this.evictSlot(slot, weight);
    }
  }

  /** Drops an already unlinked slot and describes what was dropped. */
  private evictSlot(slot: number, weight: number): Evicted<K, V> {
    const slots = this.slots;
    const key = slots.keys[slot] as K;
    const data = slots.values[slot] as V;
    this.lastEvictedHash = slots.hashes[slot]!;
    slots.release(slot);
    this.index.delete(key);
    return { key, data, weight };
  }
}
