import { ErrorType, ZpError } from "@zp/error";

/**
 * The error types this package raises besides the shared ones of `@zp/error`
 * (`ReadTimeout`, `WriteTimeout`, `ConnectionClosed`, `H1Error`, `HTTPStatus(n)`).
 */
export const HttpServerErrorType = Object.freeze({
  /** A response body longer or shorter than its `Content-Length` (`ZP_HTTP_CONTENT_LENGTH_MISMATCH`). */
  ContentLengthMismatch: ErrorType.Custom("ContentLengthMismatch", "ZP_HTTP_CONTENT_LENGTH_MISMATCH"),
  /** A response method called in the wrong state, e.g. `writeHead` twice (`ZP_HTTP_RESPONSE_STATE`). */
  ResponseState: ErrorType.Custom("ResponseState", "ZP_HTTP_RESPONSE_STATE"),
});

/** A downstream error of `type` explained by `context`. */
export function downstreamError(type: ErrorType, context: string, cause?: unknown): ZpError {
  return new ZpError(type, cause === undefined ? { context, source: "Downstream" } : { context, cause, source: "Downstream" });
}

/** A programming error of the code using a response (wrong state, bad framing). */
export function usageError(type: ErrorType, context: string): ZpError {
  return new ZpError(type, { context, source: "Internal" });
}
