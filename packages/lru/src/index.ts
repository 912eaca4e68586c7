export { Lru } from "./lru.js";
export { ShardedLru, DEFAULT_SHARDS, type ShardedLruOptions } from "./sharded-lru.js";
export { DEFAULT_CAPACITY, type LruOptions } from "./lru-options.js";
export type { Evicted } from "./evicted.js";
export { LruError, MAX_WEIGHT, type LruErrorCode } from "./lru-error.js";
export { hashKey, hashString, hashNumber, type ShardKey } from "./key-hash.js";
