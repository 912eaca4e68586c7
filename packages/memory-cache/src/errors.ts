/**
 * Raised when a memory cache is built or used with an out-of-range number: a weight limit
 * or estimated size that is not a positive integer, a `NaN` TTL, a weight that is not an
 * integer in `1..2³²−1`, or a `NaN` or negative wait timeout.
 */
export class MemoryCacheRangeError extends RangeError {
  /** Stable machine-readable code. */
  readonly code = "ZP_MEMORY_CACHE_RANGE" as const;

  /** @param message What was out of range. */
  constructor(message: string) {
    super(message);
    this.name = "MemoryCacheRangeError";
  }
}

/**
 * The rejection of an {@link RTCache.get} that waited for another caller's lookup of the
 * same key longer than its `waitTimeoutMs`. The lookup itself goes on: the caller that
 * started it still gets its value, and the cache is filled as usual.
 */
export class LookupTimeoutError extends Error {
  /** Stable machine-readable code. */
  readonly code = "ZP_MEMORY_CACHE_LOOKUP_TIMEOUT" as const;
  /** The key whose lookup was awaited. Kept out of the message, which may be logged. */
  readonly key: unknown;
  /** The wait limit that was exceeded, in milliseconds, as it was requested. */
  readonly timeoutMs: number;

  /**
   * @param key The key whose lookup was awaited.
   * @param timeoutMs The wait limit that was exceeded, in milliseconds.
   */
  constructor(key: unknown, timeoutMs: number) {
    super(`gave up waiting for another caller's lookup after ${timeoutMs} ms`);
    this.name = "LookupTimeoutError";
    this.key = key;
    this.timeoutMs = timeoutMs;
  }
}
