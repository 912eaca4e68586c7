import type { ServerConf } from "../conf/server-conf.js";

/** How long a shutdown may take. */
export interface ShutdownTiming {
  /** Time in-flight work gets after a graceful stop begins (`grace_period_seconds`). */
  readonly graceMs: number;
  /** Time services get to force-close before the process exits (`graceful_shutdown_timeout_seconds`). */
  readonly forceMs: number;
}

/** A fast shutdown (SIGINT) waits at most this long for services to close. */
export const FAST_STOP_BUDGET_MS = 1_000;

/** The shutdown timing a configuration asks for. */
export function shutdownTiming(conf: Pick<ServerConf, "grace_period_seconds" | "graceful_shutdown_timeout_seconds">): ShutdownTiming {
  return { graceMs: conf.grace_period_seconds * 1000, forceMs: conf.graceful_shutdown_timeout_seconds * 1000 };
}

/** The longest a stop can take: grace then force for a graceful one, the fast budget otherwise. */
export function stopBudgetMs(graceful: boolean, timing: ShutdownTiming): number {
  return graceful ? timing.graceMs + timing.forceMs : Math.min(timing.forceMs, FAST_STOP_BUDGET_MS);
}
