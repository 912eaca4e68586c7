/**
 * The outcome of one {@link RateLimiter.check}: a plain object of numbers with a fixed shape.
 * Pass one to `check(key, into)` to reuse it (e.g. one per request context) instead of
 * allocating a new one per request.
 */
export class RateDecision {
  /** Whether the request may proceed (a token was taken). */
  allowed = false;
  /** The quota: the largest burst a key may send at once. */
  limit = 0;
  /** Whole requests the key may still send at once after this one (0 when refused). */
  remaining = 0;
  /** When refused: whole seconds until a request would be allowed, at least 1; else 0. */
  retryAfterSeconds = 0;
  /**
   * Whole seconds until the quota is restored: when allowed, until the key's bucket is full
   * again; when refused, the same moment as `retryAfterSeconds` (as the RateLimit draft asks
   * when both fields are sent).
   */
  resetSeconds = 0;
}
