import type { Backend } from "../backend.js";

/**
 * An active health check (pingora's `HealthCheck`): probes one backend and says how many
 * consecutive results flip its state. The load balancer runs it on every endpoint at each
 * round and keeps the state.
 */
export interface HealthCheck {
  /**
   * Probes `backend`. Resolves when it is healthy; rejects (with the reason) when it is not.
   * `signal` aborts when the load balancer stops; the check should then give up promptly.
   */
  check(backend: Backend<unknown>, signal: AbortSignal): Promise<void>;
  /** Consecutive successes that make an unhealthy backend healthy. */
  readonly consecutiveSuccess: number;
  /** Consecutive failures that make a healthy backend unhealthy. */
  readonly consecutiveFailure: number;
}

/** Options every built-in check shares. */
export interface CommonCheckOptions {
  /** Time allowed for the whole check (connect, TLS, request, response), in ms (default 1000). */
  timeoutMs?: number;
  /** Consecutive successes to flip to healthy (default 1). */
  consecutiveSuccess?: number;
  /** Consecutive failures to flip to unhealthy (default 1). */
  consecutiveFailure?: number;
  /** Probe this port instead of the backend's (a separate health port). */
  port?: number;
}
