/** Largest delay a single native `setTimeout` honours (2^31 - 1 ms); longer waits are chained. */
export const MAX_NATIVE_DELAY = 0x7fffffff;

/**
 * Rejects delays that mean nothing: `NaN` (or anything that is not a number) throws a
 * RangeError. Negative numbers, zero and `±Infinity` are valid; see `TimerWheel.arm`.
 */
export function assertDelay(ms: number): void {
  if (typeof ms !== "number" || ms !== ms) {
    throw new RangeError(`timer delay must be a number of milliseconds, got ${String(ms)}`);
  }
}
