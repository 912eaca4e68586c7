/**
 * Why the pool closed a connection it held idle:
 * - `lru`: the pool was over `maxIdle`; the connection returned longest ago went.
 * - `key-limit`: its key was over `maxIdlePerKey`; the key's oldest went.
 * - `idle-timeout`: idle for longer than its idle timeout.
 * - `peer-closed`: the peer closed or reset it, it failed, or it was found unusable on `get`.
 * - `unexpected-data`: the peer sent bytes nobody asked for.
 * - `lifetime`: it reached `maxLifetimeMs` while idle.
 * - `drained`: `drain()` or `close()` was called.
 */
export type EvictionReason = "lru" | "key-limit" | "idle-timeout" | "peer-closed" | "unexpected-data" | "lifetime" | "drained";

/**
 * Why `put` did not keep a connection (the pool closed it instead):
 * - `unhealthy`: destroyed, not readable or writable, still connecting, or with unread bytes.
 * - `lifetime`: it reached `maxUses` or `maxLifetimeMs`.
 * - `limit`: `maxIdle` or `maxIdlePerKey` is 0, or the put's own `idleTimeoutMs` is 0 or less.
 * - `shut-down`: the pool was closed.
 */
export type RefusalReason = "unhealthy" | "lifetime" | "limit" | "shut-down";

/** Counters and gauges of a pool, from {@link ConnectionPool.stats}. Counters only grow. */
export interface PoolStats {
  /** `get` calls that returned a connection. */
  hits: number;
  /** `get` calls that returned `undefined`. */
  misses: number;
  /** `put` calls that kept the connection. */
  puts: number;
  /** `put` calls that closed the connection instead, by reason. */
  refused: Record<RefusalReason, number>;
  /** Idle connections the pool closed, by reason. */
  evicted: Record<EvictionReason, number>;
  /** Idle connections held now. */
  idle: number;
  /** Keys with at least one idle connection now. */
  keys: number;
}
