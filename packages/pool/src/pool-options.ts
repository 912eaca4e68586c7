import { performance } from "node:perf_hooks";
import type { Socket } from "node:net";
import type { TimerWheel } from "@zp/timeout";
import type { ConnectionAdapter } from "./connection-adapter.js";
import { PoolError } from "./pool-error.js";
import type { EvictionReason } from "./pool-stats.js";

/** Default {@link PoolLimits.maxIdle}. */
export const DEFAULT_MAX_IDLE = 1024;
/** Default {@link PoolLimits.maxIdlePerKey}. */
export const DEFAULT_MAX_IDLE_PER_KEY = 128;
/** Default {@link PoolLimits.idleTimeoutMs}: one minute, as nginx's `keepalive_timeout`. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** The limits of a pool. */
export interface PoolLimits {
  /** Idle connections held in total; past it the one returned longest ago is closed (default 1024). */
  maxIdle?: number;
  /** Idle connections held per key; past it the key's oldest is closed (default 128). */
  maxIdlePerKey?: number;
  /**
   * How long a connection may stay idle before it is closed, in ms (default 60 000;
   * `Infinity` for never). Never early; late by the native timer's lag (about 1 ms plus
   * event-loop delay). `put` may override it per connection.
   */
  idleTimeoutMs?: number;
  /** Close a connection once it is this old (from its first `put`, or `createdAt`); default never. */
  maxLifetimeMs?: number;
  /** Close a connection instead of keeping it once it has been `put` this many times; default never. */
  maxUses?: number;
}

/** Options of {@link ConnectionPool} shared by every connection type. */
export interface PoolOptionsBase<T> extends PoolLimits {
  /**
   * The wheel for the connections that cannot share the pool's sweep: those with their own
   * `idleTimeoutMs` and those whose lifetime ends before their idle timeout (default:
   * `defaultWheel` of `@zp/timeout`, 10 ms ticks, so these fire up to a tick late, never
   * early). Its timers, like the sweep's, are unref'd: an idle pool never keeps the
   * process alive.
   */
  wheel?: TimerWheel;
  /** Called after the pool closed an idle connection (for logs and metrics). */
  onEvict?: (conn: T, key: string, reason: EvictionReason) => void;
}

/**
 * Options of {@link ConnectionPool}. `adapter` may be left out for sockets (it defaults to
 * {@link socketAdapter}); any other connection type needs one.
 */
export type PoolOptions<T> = PoolOptionsBase<T> &
  (T extends Socket ? { adapter?: ConnectionAdapter<T> } : { adapter: ConnectionAdapter<T> });

/** Extra facts about one returned connection, for {@link ConnectionPool.put}. */
export interface PutMeta {
  /**
   * Idle timeout of this connection in ms, overriding the pool's (e.g. from the server's
   * `Keep-Alive: timeout=5`). `Infinity` for never; 0 or less: do not keep it.
   */
  idleTimeoutMs?: number;
  /**
   * When the connection was made, on the `performance.now()` clock. Read on the first
   * `put` of a connection only; defaults to the time of that `put`.
   */
  createdAt?: number;
}

/** Throws an option error naming the option and what it must be. */
export function invalidOption(name: string, must: string, got: unknown): never {
  throw new PoolError("ZP_POOL_INVALID_OPTION", `option ${name} must be ${must}, got ${String(got)}`);
}

/** A count limit: an integer >= 0, or `Infinity`. */
export function checkCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0)) return value;
  return invalidOption(name, "an integer >= 0 or Infinity", value);
}

/** A duration: a number of ms > 0, or `Infinity`. */
export function checkDuration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && value > 0) return value;
  return invalidOption(name, "a number of milliseconds > 0 or Infinity", value);
}

/** Throws unless the numbers of a {@link PutMeta} are numbers (not NaN). */
export function checkPutMeta(meta: PutMeta): void {
  const { idleTimeoutMs, createdAt } = meta;
  if (idleTimeoutMs !== undefined && !(typeof idleTimeoutMs === "number" && idleTimeoutMs === idleTimeoutMs)) {
    invalidOption("idleTimeoutMs of put", "a number of milliseconds", idleTimeoutMs);
  }
  if (createdAt !== undefined && !Number.isFinite(createdAt)) {
    invalidOption("createdAt of put", "a finite performance.now() time", createdAt);
  }
}
