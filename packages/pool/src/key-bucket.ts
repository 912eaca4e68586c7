import type { IdleEntry } from "./idle-entry.js";

/** The idle connections of one key, oldest to newest; get takes the newest (LIFO). */
export class KeyBucket<T> {
  oldest: IdleEntry<T> | undefined = undefined;
  newest: IdleEntry<T> | undefined = undefined;
  count = 0;

  constructor(readonly key: string) {}

  /** Appends at the newest end. */
  push(entry: IdleEntry<T>): void {
    entry.bucket = this;
    entry.keyOlder = this.newest;
    entry.keyNewer = undefined;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest.keyNewer = entry;
    this.newest = entry;
    this.count++;
  }

  /** Unlinks an entry of this bucket, wherever it is. */
  remove(entry: IdleEntry<T>): void {
    const { keyOlder, keyNewer } = entry;
    if (keyOlder === undefined) this.oldest = keyNewer;
    else keyOlder.keyNewer = keyNewer;
    if (keyNewer === undefined) this.newest = keyOlder;
    else keyNewer.keyOlder = keyOlder;
    entry.keyOlder = undefined;
    entry.keyNewer = undefined;
    entry.bucket = undefined;
    this.count--;
  }
}
