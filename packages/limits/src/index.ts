export { Estimator, type EstimatorOptions } from "./estimator.js";
export { Rate, proportionalRateEstimate, type RateComponents, type RateOptions } from "./rate.js";
export { Inflight, InflightGuard, type InflightOptions } from "./inflight.js";
export { TokenBucket, type TokenBucketOptions } from "./token-bucket.js";
export { LeakyBucket, type LeakyBucketOptions } from "./leaky-bucket.js";
export { KeyedTokenBucket, type KeyedTokenBucketOptions } from "./keyed-token-bucket.js";
export { LimitsArgumentError } from "./errors.js";
export { monotonicClock, type Clock } from "./clock.js";
export type { Key } from "./key-hash.js";
