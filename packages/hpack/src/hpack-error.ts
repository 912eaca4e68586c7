/** The stable codes an {@link HpackError} can carry. */
export type HpackErrorCode =
  | "ZP_HPACK_BAD_INDEX"
  | "ZP_HPACK_INTEGER_OVERFLOW"
  | "ZP_HPACK_BAD_PADDING"
  | "ZP_HPACK_EOS_IN_STRING"
  | "ZP_HPACK_TABLE_SIZE_UPDATE_TOO_LARGE"
  | "ZP_HPACK_TABLE_SIZE_UPDATE_AFTER_HEADER"
  | "ZP_HPACK_TABLE_SIZE_UPDATE_MISSING"
  | "ZP_HPACK_TRUNCATED"
  | "ZP_HPACK_STRING_TOO_LONG"
  | "ZP_HPACK_HEADER_LIST_TOO_LARGE"
  | "ZP_HPACK_INVALID_HEADER_NAME"
  | "ZP_HPACK_INVALID_HEADER_VALUE"
  | "ZP_HPACK_INVALID_INPUT";

/** The HTTP/2 error code for a COMPRESSION_ERROR (RFC 9113 §7). */
export const H2_COMPRESSION_ERROR = 0x9;

/** Codes after which the decoder kept its dynamic table in step with the peer's encoder. */
const recoverable: ReadonlySet<HpackErrorCode> = new Set<HpackErrorCode>([
  "ZP_HPACK_HEADER_LIST_TOO_LARGE",
  "ZP_HPACK_INVALID_HEADER_NAME",
  "ZP_HPACK_INVALID_HEADER_VALUE",
  "ZP_HPACK_INVALID_INPUT",
]);

/**
 * Raised for a malformed header block (decoder) or an unencodable header (encoder).
 *
 * When {@link HpackError.compressionError} is true the decoding context is lost and an
 * HTTP/2 endpoint must close the connection with COMPRESSION_ERROR
 * ({@link HpackError.h2ErrorCode}). Otherwise (header list too large, invalid name or value
 * when validation is on) the whole block was still decoded, the dynamic table is intact and
 * only the stream needs to be refused.
 */
export class HpackError extends Error {
  /** Stable machine-readable code, e.g. `ZP_HPACK_BAD_INDEX`. */
  readonly code: HpackErrorCode;
  /** Whether this is an HTTP/2 connection error of type COMPRESSION_ERROR. */
  readonly compressionError: boolean;
  /** `0x9` (COMPRESSION_ERROR) for compression errors, otherwise `undefined`. */
  readonly h2ErrorCode: number | undefined;
  /** Byte offset in the header block where the problem was found (`-1` when not applicable). */
  readonly offset: number;

  constructor(code: HpackErrorCode, message: string, offset = -1) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
    this.name = "HpackError";
    this.code = code;
    this.compressionError = !recoverable.has(code);
    this.h2ErrorCode = this.compressionError ? H2_COMPRESSION_ERROR : undefined;
    this.offset = offset;
  }
}
