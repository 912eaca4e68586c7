import type { Evicted } from "../src/index.js";

/**
 * The obvious LRU, for model-based tests: an array of entries, most recent first.
 * Slow and simple enough to be right by inspection.
 */
export class ReferenceLru<K, V> {
  entries: Evicted<K, V>[] = [];

  constructor(
    readonly limit = Infinity,
    readonly watermark = Infinity,
  ) {}

  get weight(): number {
    return this.entries.reduce((sum, e) => sum + e.weight, 0);
  }

  get len(): number {
    return this.entries.length;
  }

  get overLimit(): boolean {
    return this.weight > this.limit || this.len > this.watermark;
  }

  /** Position of `key`, 0 for the most recent, -1 when absent. */
  rankOf(key: K): number {
    return this.indexOf(key);
  }

  indexOf(key: K): number {
    return this.entries.findIndex((e) => Object.is(e.key, key));
  }

  private take(key: K): Evicted<K, V> | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.entries.splice(i, 1)[0];
  }

  admit(key: K, value: V, weight: number): number {
    this.take(key);
    this.entries.unshift({ key, value, weight });
    return this.weight;
  }

  set(key: K, value: V, weight: number): { stored: boolean; evicted: Evicted<K, V>[] } {
    if (weight > this.limit || this.watermark < 1) {
      this.take(key);
      return { stored: false, evicted: [] };
    }
    this.admit(key, value, weight);
    const evicted: Evicted<K, V>[] = [];
    while (this.weight > this.limit || this.len > this.watermark) evicted.push(this.entries.pop()!);
    return { stored: true, evicted };
  }

  insertTail(key: K, value: V, weight: number): boolean {
    if (this.indexOf(key) >= 0) return false;
    this.entries.push({ key, value, weight });
    return true;
  }

  get(key: K): V | undefined {
    const e = this.take(key);
    if (e === undefined) return undefined;
    this.entries.unshift(e);
    return e.value;
  }

  peek(key: K): V | undefined {
    return this.entries[this.indexOf(key)]?.value;
  }

  promote(key: K): boolean {
    const e = this.take(key);
    if (e === undefined) return false;
    this.entries.unshift(e);
    return true;
  }

  remove(key: K): Evicted<K, V> | undefined {
    return this.take(key);
  }

  evictToLimit(): Evicted<K, V>[] {
    const evicted: Evicted<K, V>[] = [];
    while (this.weight > this.limit || this.len > this.watermark) evicted.push(this.entries.pop()!);
    return evicted;
  }

  evictOne(): Evicted<K, V> | undefined {
    return this.entries.pop();
  }

  clear(): void {
    this.entries = [];
  }
}

/** N reference lists behind a shard function, mirroring how ShardedLru splits its work. */
export class ShardedReferenceLru<K, V> {
  constructor(
    readonly shards: ReferenceLru<K, V>[],
    readonly shardOf: (key: K) => number,
  ) {}

  private of(key: K): ReferenceLru<K, V> {
    return this.shards[this.shardOf(key)]!;
  }

  get entries(): Evicted<K, V>[] {
    return this.shards.flatMap((s) => s.entries);
  }

  get weight(): number {
    return this.shards.reduce((sum, s) => sum + s.weight, 0);
  }

  get len(): number {
    return this.shards.reduce((sum, s) => sum + s.len, 0);
  }

  get overLimit(): boolean {
    return this.shards.some((s) => s.overLimit);
  }

  /** Position of `key` within its own list. */
  rankOf(key: K): number {
    return this.of(key).indexOf(key);
  }

  admit(key: K, value: V, weight: number): number {
    this.of(key).admit(key, value, weight);
    return this.weight;
  }

  set(key: K, value: V, weight: number): { stored: boolean; evicted: Evicted<K, V>[] } {
    return this.of(key).set(key, value, weight);
  }

  insertTail(key: K, value: V, weight: number): boolean {
    return this.of(key).insertTail(key, value, weight);
  }

  get(key: K): V | undefined {
    return this.of(key).get(key);
  }

  peek(key: K): V | undefined {
    return this.of(key).peek(key);
  }

  promote(key: K): boolean {
    return this.of(key).promote(key);
  }

  remove(key: K): Evicted<K, V> | undefined {
    return this.of(key).remove(key);
  }

  evictToLimit(): Evicted<K, V>[] {
    return this.shards.flatMap((s) => s.evictToLimit());
  }

  /** The tail of the heaviest non-empty shard (the first one on ties). */
  evictOne(): Evicted<K, V> | undefined {
    let heaviest: ReferenceLru<K, V> | undefined;
    for (const s of this.shards) if (s.len > 0 && (heaviest === undefined || s.weight > heaviest.weight)) heaviest = s;
    return heaviest?.evictOne();
  }

  clear(): void {
    for (const s of this.shards) s.clear();
  }
}
