export { ConnectionPool } from "./connection-pool.js";
export { poolKey } from "./pool-key.js";
export type { PeerIdentity } from "./peer-identity.js";
export type { ConnectionAdapter, IdleWatcher, LostReason } from "./connection-adapter.js";
export { socketAdapter } from "./socket-adapter.js";
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_IDLE,
  DEFAULT_MAX_IDLE_PER_KEY,
  type PoolLimits,
  type PoolOptions,
  type PoolOptionsBase,
  type PutMeta,
} from "./pool-options.js";
export type { EvictionReason, PoolStats, RefusalReason } from "./pool-stats.js";
export { PoolError, type PoolErrorCode } from "./pool-error.js";
