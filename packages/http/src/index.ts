export { HttpError, HttpErrorType } from "./http-error.js";
export {
  Method,
  checkMethod,
  expectsRequestBody,
  hasNoRequestBody,
  isIdempotent,
  isSafe,
  isValidMethod,
} from "./method.js";
export { Version, parseVersion, wireVersion } from "./version.js";
export {
  STATUS_REASONS,
  checkStatus,
  isClientError,
  isInformational,
  isRedirection,
  isServerError,
  isSuccess,
  isValidStatus,
  reasonPhrase,
  statusHasNoBody,
} from "./status.js";
export { headerKey, isValidHeaderName, isValidHeaderValue } from "./header-name.js";
export { HeaderMap, type HeaderInit, PreparedField } from "./header-map.js";
export { HeaderKeySet } from "./header-key-set.js";
export { Uri, formatAuthority, parseUri, type UriForm } from "./uri.js";
export { RequestHeader } from "./request-header.js";
export { ResponseHeader, isValidReasonPhrase } from "./response-header.js";
export type { BodySink, PausableBody } from "./body-sink.js";
export { BodyIterator } from "./body-iterator.js";
export { MessageHead } from "./message-head.js";
export { parseContentLength } from "./content-length.js";
export { copyBytes, readLatin1, writeLatin1 } from "./latin1.js";
export { READ_COPY_LIMIT, ReadArea, type AreaReader, type AreaReadOptions, areaReadOptions, copyOut, readAreaOf, setAreaReader, setReadArea } from "./read-area.js";
export { equalsLowercase, hasListToken, lastListTokenIs } from "./list-tokens.js";
export { BatchedWriter, type BatchedWriterOptions } from "./batch-write.js";
