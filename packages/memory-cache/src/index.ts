export { MemoryCache, type MemoryCacheOptions } from "./memory-cache.js";
export { RTCache, type RTCacheOptions, type RTGetOptions, type RTResult, type Lookup, type LookupResult } from "./rt-cache.js";
export { isHit, type CacheResult, type CacheStatus, type MemoryCacheStatus } from "./cache-status.js";
export { CoarseClock, coarseNow } from "./coarse-clock.js";
export { MemoryCacheRangeError, LookupTimeoutError } from "./errors.js";
