/** Options for {@link BoundedTtlMap}. */
export interface BoundedTtlMapOptions {
  /** Most entries kept; the least recently used one is dropped beyond it. */
  maxEntries: number;
  /** Lifetime of an entry in ms from when it was set. */
  ttlMs: number;
  /** Clock in ms (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
}

interface Slot<V> {
  value: V;
  expiresAt: number;
}

/**
 * A small bounded map with a time to live, for TLS sessions. It relies on `Map` keeping
 * insertion order: a hit re-inserts its key at the end, so the first key is always the
 * least recently used one and eviction is O(1). Expired entries are dropped when read or
 * when they reach the front.
 */
export class BoundedTtlMap<K, V> {
  readonly #map = new Map<K, Slot<V>>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: BoundedTtlMapOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
    if (!(options.ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${options.ttlMs}`);
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** The live value for `key` (and marks it recently used), or `undefined`. */
  get(key: K): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    this.#map.delete(key);
    if (slot.expiresAt <= this.#now()) return undefined;
    this.#map.set(key, slot);
    return slot.value;
  }

  /** Stores `value` under `key` for the configured TTL, evicting the oldest entry if full. */
  set(key: K, value: V): void {
    this.#map.delete(key);
    const now = this.#now();
    this.#map.set(key, { value, expiresAt: now + this.#ttlMs });
    if (this.#map.size > this.#maxEntries) this.#evictOldest();
    this.#dropExpiredFront(now);
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  /** Drops every entry. */
  clear(): void {
    this.#map.clear();
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.#map.size;
  }

  #evictOldest(): void {
    const oldest = this.#map.keys().next();
    if (!oldest.done) this.#map.delete(oldest.value);
  }

  /** Drops a few expired entries from the front, so an idle cache does not keep stale ones forever. */
  #dropExpiredFront(now: number): void {
    for (let i = 0; i < 2; i++) {
      const first = this.#map.entries().next();
      if (first.done || first.value[1].expiresAt > now) return;
      this.#map.delete(first.value[0]);
    }
  }
}
