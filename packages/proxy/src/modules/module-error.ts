import { ErrorType, ZpError } from "@zp/error";

/** The error types raised by the proxy's standard modules; each has a stable `code`. */
export const ModuleErrorType = Object.freeze({
  /** An option out of range or of the wrong kind (`ZP_MODULE_INVALID_OPTION`). */
  InvalidOption: ErrorType.Custom("InvalidOption", "ZP_MODULE_INVALID_OPTION"),
  /** zlib failed while compressing a response body (`ZP_COMPRESSION_FAILED`). */
  CompressionFailed: ErrorType.Custom("CompressionFailed", "ZP_COMPRESSION_FAILED"),
  /** A compressor was used after `end()` or `destroy()` (`ZP_COMPRESSOR_CLOSED`). */
  CompressorClosed: ErrorType.Custom("CompressorClosed", "ZP_COMPRESSOR_CLOSED"),
  /** The access log could not open or write its destination (`ZP_FILE_WRITE_ERROR`). */
  LogWriteFailed: ErrorType.FileWriteError,
});

/**
 * An error raised by the proxy's standard modules (rate limiting, compression, metrics,
 * access log). It is a {@link ZpError} with one of the {@link ModuleErrorType} types.
 *
 * @example
 * ```ts
 * try { new RateLimiter({ requestsPerSecond: 0 }); }
 * catch (e) { if (e instanceof ModuleError) console.log(e.code); } // ZP_MODULE_INVALID_OPTION
 * ```
 */
export class ModuleError extends ZpError {
  /** A new error of `type` explained by `context`, optionally caused by `cause`. */
  constructor(type: ErrorType, context: string, cause?: unknown) {
    super(type, cause === undefined ? { context } : { context, cause });
  }

  override get name(): string {
    return "ModuleError";
  }
}

/** Throws an `InvalidOption` {@link ModuleError} unless `value` is a finite number > 0. */
export function requirePositive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ModuleError(ModuleErrorType.InvalidOption, `${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}

/** Throws an `InvalidOption` {@link ModuleError} unless `value` is an integer in `[min, max]`. */
export function requireInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ModuleError(ModuleErrorType.InvalidOption, `${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}
