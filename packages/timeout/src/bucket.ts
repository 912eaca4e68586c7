/**
 * All timers that share one rounded deadline, backed by one native `setTimeout`.
 * Entries are handles in insertion order; a cancelled entry stays in the list as a
 * stale handle and is skipped when the bucket fires. Buckets are pooled by the wheel.
 */
export class Bucket {
  /** Deadline in ticks (`deadline / resolution`); the key in the wheel's map. */
  tick = 0;
  /** Deadline on the `performance.now()` timeline, in ms. Never fire before it. */
  deadline = 0;
  /** Handles armed into this bucket, in insertion order (some may be stale). */
  entries: Float64Array;
  /** How many of `entries` are in use. */
  length = 0;
  /** How many entries are still armed. */
  armed = 0;
  /** How many armed entries keep the process alive; the native timer is ref'd while > 0. */
  refs = 0;
  /** The native timer that fires this bucket, while one is pending. */
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(initialCapacity: number) {
    this.entries = new Float64Array(initialCapacity);
  }

  /** Appends a handle, doubling the backing array when full. */
  push(handle: number): void {
    if (this.length === this.entries.length) {
      const grown = new Float64Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    this.entries[this.length++] = handle;
  }
}
