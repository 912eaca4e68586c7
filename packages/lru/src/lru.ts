import type { Evicted } from "./evicted.js";
import { invalidWeight } from "./lru-error.js";
import { MAX_CAPACITY, checkCapacity, checkLimit, checkWatermark, type LruOptions } from "./lru-options.js";

// Layout of a node: four Uint32 per slot at offset 4 × slot, so one cache line holds all
// that relinking an entry touches. Links hold node offsets, not slot numbers, which
// saves a shift on every step; the sentinel is the node at offset 0.
const NEXT = 0; // the next less recent node (the sentinel after the tail)
const PREV = 1; // the next more recent node (the sentinel before the head)
const WEIGHT = 2;
const STAMP = 3; // the clock when the entry last went to the head (see promoteTopN)
const STRIDE = 4;
const SHIFT = 2; // node offset >> SHIFT = slot

// The clock counts moves to the head modulo 2^31 (so it stays a small integer). Stamps
// are rewritten from the list every 2^30 ticks, so no entry is ever more than 2^31
// ticks behind and the modular distance between clock and stamp stays exact.
const CLOCK_MASK = 0x7fff_ffff;
const RESTAMP_MASK = 0x3fff_ffff;

/**
 * A weighted least-recently-used list without per-entry objects: entries live in slots,
 * the recency order is a doubly linked list kept in one Uint32Array, keys and values sit
 * in plain arrays indexed by slot, freed slots are chained for reuse, and a Map finds a
 * key's slot. Slot 0 is the sentinel of a circular list, so linking and unlinking never
 * branch on an empty list or an end.
 *
 * Two ways to bound it:
 * - low level, as pingora-lru: {@link Lru.admit} and {@link Lru.insertTail} never evict;
 *   the caller calls {@link Lru.evictToLimit} (or {@link Lru.evictOne}) when it suits it;
 * - convenient: {@link Lru.set} evicts from the least recent end before it returns and
 *   reports each eviction to `onEvict`.
 *
 * Weights are integers in [0, 2^32 - 1]; `set(key, value)` without a weight counts 1, so
 * `limit` then bounds the number of entries.
 *
 * @example
 * ```ts
 * const lru = new Lru<string, Buffer>({ limit: 64 * 1024 * 1024, watermark: 100_000 });
 * lru.set("/index.html", body, body.length); // evicts old entries as needed
 * lru.get("/index.html"); // the body, now the most recent entry
 * ```
 */
export class Lru<K, V> implements Iterable<[K, V]> {
  /** Total weight the LRU may hold (`Infinity` when unbounded). */
  readonly limit: number;
  /** Number of entries the LRU may hold (`Infinity` when unbounded). */
  readonly watermark: number;

  /** Key to node offset. */
  private readonly map = new Map<K, number>();
  // Slot-indexed (node offset >> SHIFT); slot 0 is the sentinel and never holds an entry.
  private slotKeys: (K | undefined)[] = [undefined];
  private slotValues: (V | undefined)[] = [undefined];
  private nodes: Uint32Array;
  private slotCapacity: number;
  /** Slots handed out so far; slots above it have never been used. */
  private used = 0;
  /** First freed node, chained through NEXT; 0 when none. */
  private freeHead = 0;
  private total = 0;
  private clock = 0;
  private readonly onEvict: ((key: K, value: V, weight: number) => void) | undefined;

  constructor(options: LruOptions<K, V> = {}) {
    this.limit = checkLimit("limit", options.limit);
    this.watermark = checkWatermark(options.watermark);
    this.slotCapacity = checkCapacity(options.capacity);
    this.nodes = new Uint32Array((this.slotCapacity + 1) * STRIDE);
    this.onEvict = options.onEvict;
  }

  /** Total weight of the entries held. */
  get weight(): number {
    return this.total;
  }

  /** Number of entries held. */
  get len(): number {
    return this.map.size;
  }

  /** Slots allocated; grows by doubling when full. */
  get capacity(): number {
    return this.slotCapacity;
  }

  /** Whether the weight is over `limit` or the length over `watermark`. */
  get overLimit(): boolean {
    return this.total > this.limit || this.map.size > this.watermark;
  }

  /**
   * Inserts `key` or updates its value and weight, and makes it the most recent entry.
   * Never evicts, even over the limit: call {@link Lru.evictToLimit} afterwards.
   * @returns the new total weight.
   */
  admit(key: K, value: V, weight = 1): number {
    if (weight >>> 0 !== weight) invalidWeight(weight);
    const node = this.map.get(key);
    if (node === undefined) this.insertHead(key, value, weight);
    else this.update(node, value, weight);
    return this.total;
  }

  /**
   * Like {@link Lru.admit} but keeps the LRU within `limit` and `watermark`: evicts the
   * least recent entries (reporting each to `onEvict`) and never the one just set.
   * An entry heavier than `limit` is not stored, and an older value under its key is
   * removed (without `onEvict`, as by {@link Lru.delete}).
   * @returns whether the entry is now stored.
   */
  set(key: K, value: V, weight = 1): boolean {
    if (weight >>> 0 !== weight) invalidWeight(weight);
    const limit = this.limit;
    const watermark = this.watermark;
    const node = this.map.get(key);
    if (node !== undefined) {
      if (weight > limit || watermark < 1) {
        this.map.delete(key);
        this.release(node);
        return false;
      }
      this.update(node, value, weight);
      // The entry just set is at the head and fits alone, so this stops before reaching it.
      while (this.total > limit || this.map.size > watermark) this.dropTail();
      return true;
    }
    if (weight > limit || watermark < 1) return false;
    // Make room first, so the freed slot is reused instead of growing the arrays.
    const room = limit - weight;
    while (this.total > room || this.map.size >= watermark) this.dropTail();
    this.insertHead(key, value, weight);
    return true;
  }

  /**
   * Inserts `key` as the least recent entry, the next to be evicted (for entries that
   * are worth keeping only if there is room). Never evicts.
   * @returns `false`, changing nothing, if `key` is already present.
   */
  insertTail(key: K, value: V, weight = 1): boolean {
    if (weight >>> 0 !== weight) invalidWeight(weight);
    if (this.map.has(key)) return false;
    const node = this.allocate(key, value);
    const nodes = this.nodes;
    const tail = nodes[PREV]!;
    // len entries will be ahead of it: stamp it as if it went to the head len ticks ago.
    nodes[node + STAMP] = (this.clock - this.map.size) & CLOCK_MASK;
    nodes[node + WEIGHT] = weight;
    nodes[node + NEXT] = 0;
    nodes[node + PREV] = tail;
    nodes[tail + NEXT] = node;
    nodes[PREV] = node;
    this.map.set(key, node);
    this.total += weight;
    return true;
  }

  /**
   * The value of `key`, making it the most recent entry.
   * @returns `undefined` if absent.
   */
  get(key: K): V | undefined {
    const node = this.map.get(key);
    if (node === undefined) return undefined;
    this.moveToHead(node);
    return this.slotValues[node >> SHIFT];
  }

  /** The value of `key` without changing the order; `undefined` if absent. */
  peek(key: K): V | undefined {
    const node = this.map.get(key);
    return node === undefined ? undefined : this.slotValues[node >> SHIFT];
  }

  /** The weight of `key`; `undefined` if absent. Does not change the order. */
  weightOf(key: K): number | undefined {
    const node = this.map.get(key);
    return node === undefined ? undefined : this.nodes[node + WEIGHT];
  }

  /** Whether `key` is present. Does not change the order. */
  has(key: K): boolean {
    return this.map.has(key);
  }

  /**
   * Makes `key` the most recent entry.
   * @returns whether `key` is present.
   */
  promote(key: K): boolean {
    const node = this.map.get(key);
    if (node === undefined) return false;
    this.moveToHead(node);
    return true;
  }

  /**
   * Makes `key` the most recent entry unless it is known to be among the `n` most recent
   * ones already, which saves the relinking for hot entries. The check is O(1): an entry
   * has at most as many entries ahead of it as went to the head since it did, so it is
   * left where it is when fewer than `n` did. It may still move while within the top `n`
   * when entries ahead of it were removed since; afterwards it is always within the top
   * `n` (for `n >= 1`).
   * @returns whether `key` is present.
   */
  promoteTopN(key: K, n: number): boolean {
    const node = this.map.get(key);
    if (node === undefined) return false;
    if (((this.clock - this.nodes[node + STAMP]!) & CLOCK_MASK) >= n) this.moveToHead(node);
    return true;
  }

  /**
   * Takes `key` out.
   * @returns what was removed, or `undefined` if absent.
   */
  remove(key: K): Evicted<K, V> | undefined {
    const node = this.map.get(key);
    return node === undefined ? undefined : this.take(node);
  }

  /**
   * Takes `key` out without building a result.
   * @returns whether it was present.
   */
  delete(key: K): boolean {
    const node = this.map.get(key);
    if (node === undefined) return false;
    this.map.delete(key);
    this.release(node);
    return true;
  }

  /**
   * Evicts least recent entries until the weight is at most `limit` and the length at
   * most `watermark`.
   * @returns the evicted entries, least recent first (empty when within the limits).
   */
  evictToLimit(): Evicted<K, V>[] {
    const evicted: Evicted<K, V>[] = [];
    while (this.total > this.limit || this.map.size > this.watermark) evicted.push(this.take(this.nodes[PREV]!));
    return evicted;
  }

  /**
   * Evicts the least recent entry, whatever the limits.
   * @returns it, or `undefined` when empty.
   */
  evictOne(): Evicted<K, V> | undefined {
    const tail = this.nodes[PREV]!;
    return tail === 0 ? undefined : this.take(tail);
  }

  /** The least recent entry's key (the next to be evicted), or `undefined` when empty. */
  peekTail(): K | undefined {
    return this.slotKeys[this.nodes[PREV]! >> SHIFT];
  }

  /** Removes every entry; the allocated slots are kept for reuse. */
  clear(): void {
    this.map.clear();
    this.slotKeys = [undefined];
    this.slotValues = [undefined];
    this.nodes[NEXT] = 0;
    this.nodes[PREV] = 0;
    this.used = 0;
    this.freeHead = 0;
    this.total = 0;
  }

  /**
   * `[key, value]` pairs from the most to the least recent. Removing the entry just
   * yielded is safe; other changes while iterating give an unspecified order.
   */
  *entries(): IterableIterator<[K, V]> {
    let node = this.nodes[NEXT]!;
    while (node !== 0) {
      const after = this.nodes[node + NEXT]!;
      yield [this.slotKeys[node >> SHIFT] as K, this.slotValues[node >> SHIFT] as V];
      node = after;
    }
  }

  /** Keys from the most to the least recent (same rules as {@link Lru.entries}). */
  *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  /** Values from the most to the least recent (same rules as {@link Lru.entries}). */
  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  /** Same as {@link Lru.entries}. */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** The next clock value; rewrites every stamp each 2^30 ticks (see CLOCK_MASK). */
  private tick(): number {
    const clock = (this.clock + 1) & CLOCK_MASK;
    this.clock = clock;
    if ((clock & RESTAMP_MASK) === 0) this.restamp();
    return clock;
  }

  /** Stamps every entry with the clock minus its rank, which bounds the rank exactly. */
  private restamp(): void {
    const nodes = this.nodes;
    let rank = 0;
    for (let node = nodes[NEXT]!; node !== 0; node = nodes[node + NEXT]!) {
      nodes[node + STAMP] = (this.clock - rank++) & CLOCK_MASK;
    }
  }

  private moveToHead(node: number): void {
    const nodes = this.nodes;
    const head = nodes[NEXT]!;
    if (head !== node) {
      const before = nodes[node + PREV]!;
      const after = nodes[node + NEXT]!;
      nodes[before + NEXT] = after;
      nodes[after + PREV] = before;
      nodes[node + NEXT] = head;
      nodes[node + PREV] = 0;
      nodes[head + PREV] = node;
      nodes[NEXT] = node;
    }
    nodes[node + STAMP] = this.tick();
  }

  private update(node: number, value: V, weight: number): void {
    this.slotValues[node >> SHIFT] = value;
    this.total += weight - this.nodes[node + WEIGHT]!;
    this.nodes[node + WEIGHT] = weight;
    this.moveToHead(node);
  }

  private insertHead(key: K, value: V, weight: number): void {
    const node = this.allocate(key, value);
    const nodes = this.nodes;
    const head = nodes[NEXT]!;
    nodes[node + WEIGHT] = weight;
    nodes[node + NEXT] = head;
    nodes[node + PREV] = 0;
    nodes[head + PREV] = node;
    nodes[NEXT] = node;
    nodes[node + STAMP] = this.tick();
    this.map.set(key, node);
    this.total += weight;
  }

  /** A node holding `key` and `value`, not yet linked: a freed one, else a fresh one. */
  private allocate(key: K, value: V): number {
    const free = this.freeHead;
    if (free !== 0) {
      this.freeHead = this.nodes[free + NEXT]!;
      this.slotKeys[free >> SHIFT] = key;
      this.slotValues[free >> SHIFT] = value;
      return free;
    }
    if (this.used === this.slotCapacity) this.grow();
    // Fresh slots come in order, so pushing keeps the arrays packed.
    this.slotKeys.push(key);
    this.slotValues.push(value);
    return ++this.used << SHIFT;
  }

  private grow(): void {
    const capacity = Math.min(this.slotCapacity * 2, MAX_CAPACITY);
    if (capacity === this.slotCapacity) throw new RangeError(`Lru is full: it holds at most ${MAX_CAPACITY} entries`);
    const nodes = new Uint32Array((capacity + 1) * STRIDE);
    nodes.set(this.nodes);
    this.nodes = nodes;
    this.slotCapacity = capacity;
  }

  /** Unlinks `node`, drops its references and puts it on the free chain (its key must be out of the map). */
  private release(node: number): void {
    const nodes = this.nodes;
    const before = nodes[node + PREV]!;
    const after = nodes[node + NEXT]!;
    nodes[before + NEXT] = after;
    nodes[after + PREV] = before;
    this.total -= nodes[node + WEIGHT]!;
    this.slotKeys[node >> SHIFT] = undefined;
    this.slotValues[node >> SHIFT] = undefined;
    nodes[node + NEXT] = this.freeHead;
    this.freeHead = node;
  }

  private take(node: number): Evicted<K, V> {
    const slot = node >> SHIFT;
    const key = this.slotKeys[slot] as K;
    const taken: Evicted<K, V> = { key, value: this.slotValues[slot] as V, weight: this.nodes[node + WEIGHT]! };
    this.map.delete(key);
    this.release(node);
    return taken;
  }

  /** Evicts the tail for `set`, without building a result. */
  private dropTail(): void {
    const node = this.nodes[PREV]!;
    const slot = node >> SHIFT;
    const key = this.slotKeys[slot] as K;
    const value = this.slotValues[slot] as V;
    const weight = this.nodes[node + WEIGHT]!;
    this.map.delete(key);
    this.release(node);
    if (this.onEvict !== undefined) this.onEvict(key, value, weight);
  }
}
