import { ErrorType, ZpError } from "@zp/error";

/** The error types raised by `@zp/lb`; each has a stable `code`. */
export const LbErrorType = Object.freeze({
  /** A backend with a bad address, port or weight (`ZP_LB_INVALID_BACKEND`). */
  InvalidBackend: ErrorType.Custom("InvalidBackend", "ZP_LB_INVALID_BACKEND"),
  /** An option out of range or of the wrong kind (`ZP_LB_INVALID_OPTION`). */
  InvalidOption: ErrorType.Custom("InvalidOption", "ZP_LB_INVALID_OPTION"),
  /** A health check's validator refused the response (`ZP_LB_CHECK_REJECTED`). */
  CheckRejected: ErrorType.Custom("CheckRejected", "ZP_LB_CHECK_REJECTED"),
  /** A health check response body larger than allowed (`ZP_LB_BODY_TOO_LARGE`). */
  BodyTooLarge: ErrorType.Custom("BodyTooLarge", "ZP_LB_BODY_TOO_LARGE"),
  /** Service discovery could not produce a set of backends (`ZP_LB_DISCOVERY_FAILED`). */
  DiscoveryFailed: ErrorType.Custom("DiscoveryFailed", "ZP_LB_DISCOVERY_FAILED"),
  /** The operation was cancelled because the load balancer stopped (`ZP_LB_STOPPED`). */
  Stopped: ErrorType.Custom("Stopped", "ZP_LB_STOPPED"),
});

/**
 * An error raised by `@zp/lb`. It is a {@link ZpError}, with one of the {@link LbErrorType}
 * types (or, for health check failures, the `@zp/error` type of what failed: a refused
 * connection, a timeout, an unexpected HTTP status).
 *
 * @example
 * ```ts
 * try { Backend.parse("not an address"); }
 * catch (e) { if (e instanceof LbError) console.log(e.code); } // ZP_LB_INVALID_BACKEND
 * ```
 */
export class LbError extends ZpError {
  /** A new error of `type` explained by `context`, optionally caused by `cause`. */
  constructor(type: ErrorType, context: string, cause?: unknown) {
    super(type, cause === undefined ? { context } : { context, cause });
  }

  override get name(): string {
    return "LbError";
  }
}
