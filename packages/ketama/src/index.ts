export { type Bucket, parseBucket, parseBuckets } from "./bucket.js";
export { canonicalIp } from "./canonical-ip.js";
export { Continuum, MAX_BUCKETS, MAX_POINTS, POINTS_PER_WEIGHT } from "./continuum.js";
export { crc32 } from "./crc32.js";
export { KetamaError, type KetamaErrorCode } from "./ketama-error.js";
export { NodeIterator } from "./node-iterator.js";
