/**
 * Raised (as a rejection) by {@link timeout} when the awaited work does not settle
 * within the allowed time. Match on `code`, which is stable: `"ZP_TIMEOUT"`.
 *
 * @example
 * ```ts
 * try {
 *   await timeout(fetchUpstream(), 500);
 * } catch (err) {
 *   if (err instanceof TimeoutError) console.log(`gave up after ${err.ms} ms`);
 * }
 * ```
 */
export class TimeoutError extends Error {
  /** Stable machine-readable code. */
  readonly code = "ZP_TIMEOUT" as const;
  /** The time limit that was exceeded, in milliseconds, as it was requested. */
  readonly ms: number;

  /**
   * @param ms The time limit that was exceeded, in milliseconds.
   * @param message Optional message; defaults to `timed out after <ms> ms`.
   */
  constructor(ms: number, message?: string) {
    super(message ?? `timed out after ${ms} ms`);
    this.name = "TimeoutError";
    this.ms = ms;
  }
}
