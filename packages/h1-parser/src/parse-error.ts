/**
 * Stable codes of every way {@link H1Parser} rejects input. Each one is safe to match
 * on and to put in logs and metrics.
 */
export const ParseErrorCode = Object.freeze({
  /** The request method is not a known HTTP method. */
  InvalidMethod: "ZP_H1_INVALID_METHOD",
  /** The request-target has a forbidden byte or an unknown form. */
  InvalidUrl: "ZP_H1_INVALID_URL",
  /** The protocol name is not `HTTP`. */
  InvalidProtocol: "ZP_H1_INVALID_PROTOCOL",
  /** The HTTP version is malformed or not one of 0.9, 1.0, 1.1, 2.0. */
  InvalidVersion: "ZP_H1_INVALID_VERSION",
  /** The status code is not three digits. */
  InvalidStatus: "ZP_H1_INVALID_STATUS",
  /** The reason phrase holds a control byte. */
  InvalidReason: "ZP_H1_INVALID_REASON",
  /** A field name holds a byte outside `tchar` (including whitespace before the colon), or is empty. */
  InvalidHeaderToken: "ZP_H1_INVALID_HEADER_TOKEN",
  /** A field value holds a control byte other than HTAB. */
  InvalidHeaderValue: "ZP_H1_INVALID_HEADER_VALUE",
  /** A line starts with whitespace (obsolete line folding, or a space after the start line). */
  ObsFold: "ZP_H1_OBS_FOLD",
  /** A CR not followed by LF. */
  BareCr: "ZP_H1_BARE_CR",
  /** A LF not preceded by CR (allowed only with `lenientLineEndings`). */
  BareLf: "ZP_H1_BARE_LF",
  /** A Content-Length value that is empty or holds a non-digit. */
  InvalidContentLength: "ZP_H1_INVALID_CONTENT_LENGTH",
  /** A Content-Length value above 2^53 - 1. */
  ContentLengthOverflow: "ZP_H1_CONTENT_LENGTH_OVERFLOW",
  /** More than one Content-Length field (even with equal values). */
  DuplicateContentLength: "ZP_H1_DUPLICATE_CONTENT_LENGTH",
  /** Content-Length and Transfer-Encoding in the same message. */
  ContentLengthWithTransferEncoding: "ZP_H1_CONTENT_LENGTH_WITH_TRANSFER_ENCODING",
  /** A request Transfer-Encoding whose final coding is not `chunked`, or a coding after `chunked`. */
  InvalidTransferEncoding: "ZP_H1_INVALID_TRANSFER_ENCODING",
  /** A chunk-size line that is not hex digits followed by extensions and CRLF. */
  InvalidChunkSize: "ZP_H1_INVALID_CHUNK_SIZE",
  /** A chunk size above 2^53 - 1. */
  ChunkSizeOverflow: "ZP_H1_CHUNK_SIZE_OVERFLOW",
  /** A malformed chunk extension. */
  InvalidChunkExtension: "ZP_H1_INVALID_CHUNK_EXTENSION",
  /** Chunk data not followed by CRLF. */
  InvalidChunkData: "ZP_H1_INVALID_CHUNK_DATA",
  /** Bytes after a message that ended the connection (`Connection: close`, HTTP/1.0 without keep-alive). */
  DataAfterClose: "ZP_H1_DATA_AFTER_CLOSE",
  /** The input ended inside a message that has a defined end. */
  UnexpectedEof: "ZP_H1_UNEXPECTED_EOF",
  /** `execute` was called after an error or after the connection was handed over to another protocol. */
  Closed: "ZP_H1_CLOSED",
  /** The head (start line and fields) is longer than `maxHeaderBytes`. */
  HeadersTooLarge: "ZP_H1_HEADERS_TOO_LARGE",
  /** More than `maxHeaders` fields. */
  TooManyHeaders: "ZP_H1_TOO_MANY_HEADERS",
  /** The request-target is longer than `maxUrlLength`. */
  UrlTooLong: "ZP_H1_URL_TOO_LONG",
  /** A chunk extension section is longer than `maxChunkExtensionBytes`. */
  ChunkExtensionTooLong: "ZP_H1_CHUNK_EXTENSION_TOO_LONG",
  /** The trailer section is longer than `maxTrailerBytes`. */
  TrailersTooLarge: "ZP_H1_TRAILERS_TOO_LARGE",
  /** More than `maxTrailers` trailer fields. */
  TooManyTrailers: "ZP_H1_TOO_MANY_TRAILERS",
} as const);

/** One of the {@link ParseErrorCode} values. */
export type ParseErrorCode = (typeof ParseErrorCode)[keyof typeof ParseErrorCode];

/**
 * Why the parser rejected its input: a stable `code` and the `offset` of the offending
 * byte, counted from the first byte ever fed to the parser (so it does not depend on
 * how the input was split into chunks).
 */
export class ParseError extends Error {
  /** Stable machine-readable code, e.g. `ZP_H1_INVALID_HEADER_TOKEN`. */
  readonly code: ParseErrorCode;
  /** Stream offset of the byte where the problem was found. */
  readonly offset: number;

  constructor(code: ParseErrorCode, offset: number, detail: string) {
    super(`${code} at byte ${offset}: ${detail}`);
    this.name = "ParseError";
    this.code = code;
    this.offset = offset;
  }
}
