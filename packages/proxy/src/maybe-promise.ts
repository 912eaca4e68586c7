/** A hook's result: the value itself, or a promise of it. */
export type MaybePromise<T> = T | PromiseLike<T>;

/**
 * Whether `value` is a promise (or any thenable). The proxy awaits a hook's result only
 * when this holds, so synchronous hooks cost no microtask.
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
