import { ErrorType, RetryType, ZpError, fromSystemError } from "@zp/error";
import { ParseErrorCode, type ParseError } from "@zp/h1-parser";

/** Error types of this package beyond the shared ones of `@zp/error`. */
export const ClientErrorType = Object.freeze({
  /** The whole exchange took longer than `timeouts.totalMs` (`ZP_TOTAL_TIMEOUT`). */
  TotalTimeout: ErrorType.Custom("TotalTimeout", "ZP_TOTAL_TIMEOUT"),
});

/** Parser codes that mean a malformed or oversized header section (the rest are framing errors). */
const headerCodes = new Set<string>([
  ParseErrorCode.InvalidHeaderToken,
  ParseErrorCode.InvalidHeaderValue,
  ParseErrorCode.ObsFold,
  ParseErrorCode.InvalidContentLength,
  ParseErrorCode.ContentLengthOverflow,
  ParseErrorCode.DuplicateContentLength,
  ParseErrorCode.ContentLengthWithTransferEncoding,
  ParseErrorCode.InvalidTransferEncoding,
  ParseErrorCode.HeadersTooLarge,
  ParseErrorCode.TooManyHeaders,
  ParseErrorCode.TrailersTooLarge,
  ParseErrorCode.TooManyTrailers,
]);

/**
 * The retry decision of a failure on an open connection: before any response byte the
 * request may not have reached the upstream (a reused connection the peer had closed), so
 * it may be retried if the connection was reused; afterwards, never.
 */
function retryFor(beforeResponse: boolean): RetryType {
  return beforeResponse ? RetryType.ReusedOnly : RetryType.Decided(false);
}

/** The upstream closed or reset the connection. */
export function closedError(context: string, cause: unknown, beforeResponse: boolean): ZpError {
  const err = cause === undefined ? ZpError.explain(ErrorType.ConnectionClosed, context) : ZpError.because(ErrorType.ConnectionClosed, context, cause);
  return err.asUpstream().withRetry(retryFor(beforeResponse));
}

/** A socket error on an open connection (`ECONNRESET`, `EPIPE`, ...). */
export function socketError(cause: unknown, context: string, beforeResponse: boolean): ZpError {
  const err = fromSystemError(cause, "io", context).asUpstream();
  return err.withRetry(err.is(ErrorType.ConnectionClosed) ? retryFor(beforeResponse) : RetryType.Decided(false));
}

/** A response the parser refused: `InvalidHTTPHeader` for the header section, `H1Error` otherwise. */
export function responseParseError(cause: ParseError, beforeResponse: boolean): ZpError {
  if (cause.code === ParseErrorCode.UnexpectedEof) return closedError("the response ended early", cause, beforeResponse);
  const type = headerCodes.has(cause.code) ? ErrorType.InvalidHTTPHeader : ErrorType.H1Error;
  return ZpError.because(type, "parsing the response", cause).asUpstream().withRetry(false);
}

/** No response byte arrived for `ms`. */
export function readTimeoutError(ms: number): ZpError {
  return ZpError.explain(ErrorType.ReadTimeout, `no response byte for ${ms} ms`).asUpstream().withRetry(false);
}

/** A request write stayed blocked for `ms`. */
export function writeTimeoutError(ms: number): ZpError {
  return ZpError.explain(ErrorType.WriteTimeout, `request write blocked for ${ms} ms`).asUpstream().withRetry(false);
}

/** The exchange exceeded its total time limit. */
export function totalTimeoutError(ms: number): ZpError {
  return ZpError.explain(ClientErrorType.TotalTimeout, `exchange took longer than ${ms} ms`).asUpstream().withRetry(false);
}

/** TCP connect did not finish in time (nothing was sent: retryable). */
export function connectTimeoutError(ms: number, where: string): ZpError {
  return ZpError.explain(ErrorType.ConnectTimeout, `${where}: no connection within ${ms} ms`).asUpstream().withRetry(true);
}

/** The response body grew past `maxBodySize`. */
export function bodyTooLargeError(limit: number): ZpError {
  return ZpError.explain(ErrorType.LimitExceeded, `response body larger than ${limit} bytes`).asUpstream().withRetry(false);
}

/** The caller used the connection out of order (a bug in the caller, never retried). */
export function misuseError(context: string): ZpError {
  return ZpError.explain(ErrorType.InternalError, context).asInternal().withRetry(false);
}

/** A request head whose framing this client refuses to send. */
export function requestFramingError(context: string): ZpError {
  return ZpError.explain(ErrorType.InvalidHTTPHeader, context).asInternal().withRetry(false);
}
