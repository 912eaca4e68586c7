export { ModuleError, ModuleErrorType } from "./module-error.js";

export { RateLimiter, type RateLimiterOptions, type RateLimitKeyBy, type RateLimitRejection } from "./rate-limit.js";
export { RateDecision } from "./rate-decision.js";
export { RateLimitHeaderWriter, isValidPolicyName, type RateLimitHeaderStyle } from "./rate-limit-headers.js";

export { CompressionPolicy, prepareHeaders, shouldCompress, type CompressionOptions } from "./compression.js";
export { DEFAULT_ENCODINGS, negotiateEncoding, type ContentEncoding } from "./accept-encoding.js";
export { ContentTypeMatcher, DEFAULT_COMPRESSIBLE_TYPES } from "./compressible-types.js";
export { ResponseCompressor, type CompressorOptions } from "./response-compressor.js";
export { addVary, weakenEtag } from "./vary-etag.js";

export {
  DEFAULT_CONNECT_BUCKETS,
  DEFAULT_DURATION_BUCKETS,
  InFlightCounter,
  OVERFLOW_LABEL,
  ProxyMetrics,
  type MetricsRecord,
  type ProxyMetricsOptions,
  type StatusLabel,
} from "./metrics.js";
export { CellsHistogram, HistogramCells, type CellsSeries } from "./histogram-cells.js";
export { startAdminServer, type AdminHooks, type AdminListen, type AdminServer } from "./admin-server.js";

export { AccessLog, type AccessLogOptions } from "./access-log.js";
export { ACCESS_LOG_FIELDS, AccessLogFormat, type AccessLogField, type AccessLogRecord } from "./access-log-format.js";
export { jsonMillis, jsonString, jsonWireString } from "./json-string.js";
export { IsoTime } from "./iso-time.js";
