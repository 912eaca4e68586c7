import { ErrorType, ZpError } from "@zp/error";

/** The error types this package raises besides the shared ones of `@zp/error`. */
export const ProxyErrorType = Object.freeze({
  /** No upstream could be chosen (no backend is healthy) (`ZP_PROXY_NO_UPSTREAM`): answered 502. */
  NoUpstream: ErrorType.Custom("NoUpstream", "ZP_PROXY_NO_UPSTREAM"),
  /** A hook broke the proxy's rules, e.g. `requestFilter` returned true without answering (`ZP_PROXY_HOOK_MISUSE`). */
  HookMisuse: ErrorType.Custom("HookMisuse", "ZP_PROXY_HOOK_MISUSE"),
});

/**
 * What a hook threw or rejected with, as a `ZpError`: a `ZpError` as it is (an
 * `HTTPStatus(n)` one answers with `n`), anything else an `Internal` `InternalError`
 * (answered 500).
 */
export function hookError(err: unknown, context: string): ZpError {
  if (err instanceof ZpError) return err;
  return ZpError.because(ErrorType.InternalError, context, err).asInternal();
}

/** An upstream-side error with `context`: the source is set to Upstream unless it already has one. */
export function upstreamError(err: unknown, context?: string): ZpError {
  const e = ZpError.wrap(err, ErrorType.ConnectError, context);
  if (e.source === "Unset") e.asUpstream();
  return e;
}
