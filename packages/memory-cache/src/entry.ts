/**
 * What the cache stores per key: the value and when it expires. Entries are recycled
 * through {@link EntryPool}, so a put that replaces or evicts allocates nothing.
 */
export class Entry<V> {
  value: V | undefined = undefined;
  /** Clock reading at which the entry expires; `Infinity` when it never does. */
  expiresAt = Number.POSITIVE_INFINITY;
}

/** Entries that left the cache, kept for reuse (at most as many as the cache ever held). */
export class EntryPool<V> {
  private readonly spare: Entry<V>[] = [];

  /** A recycled entry, or a new one when none is spare. */
  take(): Entry<V> {
    return this.spare.pop() ?? new Entry<V>();
  }

  /** Keeps `entry` for reuse; drops its value so the pool retains nothing of the caller's. */
  give(entry: Entry<V>): void {
    entry.value = undefined;
    this.spare.push(entry);
  }

  /** Forgets every spare entry. */
  clear(): void {
    this.spare.length = 0;
  }
}
