import { ErrorType, ZpError } from "@zp/error";

/** The error types raised by this package; each has a stable `code`. */
export const HttpErrorType = Object.freeze({
  /** A header name or value that is not valid per RFC 9110 (`ZP_INVALID_HTTP_HEADER`). */
  InvalidHeader: ErrorType.InvalidHTTPHeader,
  /** A request target that is none of the four forms of RFC 9112 §3.2 (`ZP_INVALID_URI`). */
  InvalidUri: ErrorType.Custom("InvalidUri", "ZP_INVALID_URI"),
  /** A method that is not an RFC 9110 token (`ZP_INVALID_METHOD`). */
  InvalidMethod: ErrorType.Custom("InvalidMethod", "ZP_INVALID_METHOD"),
  /** A status code outside 100..999 or a reason phrase with forbidden characters (`ZP_INVALID_STATUS`). */
  InvalidStatus: ErrorType.Custom("InvalidStatus", "ZP_INVALID_STATUS"),
  /** A buffer too small for the head being written into it (`ZP_BUFFER_TOO_SMALL`). */
  BufferTooSmall: ErrorType.Custom("BufferTooSmall", "ZP_BUFFER_TOO_SMALL"),
});

/**
 * The error every function of `@zp/http` throws. It is a {@link ZpError} (so the proxy's
 * error handling sees it like any other), with one of the {@link HttpErrorType} types.
 *
 * @example
 * ```ts
 * try { headers.set("bad name", "x"); }
 * catch (e) { if (e instanceof HttpError) console.log(e.code); } // ZP_INVALID_HTTP_HEADER
 * ```
 */
export class HttpError extends ZpError {
  /** A new error of `type` explained by `context`. */
  constructor(type: ErrorType, context: string) {
    super(type, { context });
  }

  override get name(): string {
    return "HttpError";
  }
}

/** Shortens untrusted input before it goes into an error's context. */
export function preview(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}
