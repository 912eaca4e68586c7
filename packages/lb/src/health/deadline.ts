import { ErrorType, ZpError } from "@zp/error";
import { defaultWheel } from "@zp/timeout";

/**
 * @internal Runs `work` with a signal that aborts after `ms` (with a timeout error of the
 * type `timeoutType()` returns at that moment) or when `outer` aborts (with its reason).
 * The timer is a `@zp/timeout` wheel timer, disarmed as soon as the work settles.
 */
export async function withDeadline<T>(
  ms: number,
  outer: AbortSignal | undefined,
  timeoutType: () => ErrorType,
  context: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (outer?.aborted) throw outer.reason;
  const controller = new AbortController();
  const onTimeout = (c: AbortController): void => c.abort(ZpError.explain(timeoutType(), `${context}: no answer within ${ms} ms`).asUpstream());
  const handle = defaultWheel.arm(ms, onTimeout, controller);
  const onOuter = (): void => controller.abort(outer!.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    defaultWheel.cancel(handle);
    outer?.removeEventListener("abort", onOuter);
  }
}

/** @internal The error type for a timeout while connecting. */
export const connectTimeout = (): ErrorType => ErrorType.ConnectTimeout;
