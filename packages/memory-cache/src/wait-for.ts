import { defaultWheel } from "@zp/timeout";
import { LookupTimeoutError } from "./errors.js";

/**
 * Settles like `work` if it settles within `timeoutMs`, otherwise rejects with a
 * {@link LookupTimeoutError} for `key`. `work` goes on either way; its outcome after the
 * timeout is ignored here. The timer is a wheel timer (10 ms ticks, never early).
 */
export function waitFor<T>(work: Promise<T>, key: unknown, timeoutMs: number): Promise<T> {
  if (timeoutMs === Number.POSITIVE_INFINITY) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = defaultWheel.arm(timeoutMs, () => reject(new LookupTimeoutError(key, timeoutMs)));
    work.then(
      (value) => {
        defaultWheel.cancel(timer);
        resolve(value);
      },
      (err: unknown) => {
        defaultWheel.cancel(timer);
        reject(err);
      },
    );
  });
}
