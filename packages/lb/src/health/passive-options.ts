import { LbError, LbErrorType } from "../lb-error.js";

/** How reported failures eject a backend (passive health, "outlier detection"). */
export interface PassiveHealthOptions {
  /** Consecutive failures that eject a backend (default 5). A success resets the count. */
  failureThreshold?: number;
  /** First ejection, in ms (default 10 000). Each ejection in a row doubles it. */
  baseEjectionMs?: number;
  /** Longest ejection, in ms (default 300 000). */
  maxEjectionMs?: number;
  /**
   * Random shortening of each ejection, as a fraction (default 0.1: an ejection lasts between
   * 90% and 100% of its backoff), so ejected backends do not all return at once.
   */
  jitter?: number;
  /**
   * How long the one trial request of a half-open backend may stay unreported before another
   * request may try (default 10 000 ms).
   */
  trialTimeoutMs?: number;
}

/** @internal The options with defaults filled in. */
export interface ResolvedPassive {
  readonly failureThreshold: number;
  readonly baseEjectionMs: number;
  readonly maxEjectionMs: number;
  readonly jitter: number;
  readonly trialTimeoutMs: number;
}

function check(value: number | undefined, fallback: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    throw new LbError(LbErrorType.InvalidOption, `passive.${name} must be a number in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

/** @internal Checks and completes passive options. */
export function resolvePassive(options: PassiveHealthOptions): ResolvedPassive {
  const baseEjectionMs = check(options.baseEjectionMs, 10_000, "baseEjectionMs", 0);
  const resolved = {
    failureThreshold: check(options.failureThreshold, 5, "failureThreshold", 1),
    baseEjectionMs,
    maxEjectionMs: check(options.maxEjectionMs, Math.max(300_000, baseEjectionMs), "maxEjectionMs", baseEjectionMs),
    jitter: check(options.jitter, 0.1, "jitter", 0, 1),
    trialTimeoutMs: check(options.trialTimeoutMs, 10_000, "trialTimeoutMs", 0),
  };
  if (!Number.isInteger(resolved.failureThreshold)) {
    throw new LbError(LbErrorType.InvalidOption, `passive.failureThreshold must be an integer, got ${resolved.failureThreshold}`);
  }
  return resolved;
}

/**
 * The length of the `ejections`-th ejection in a row: `base × 2^(ejections-1)`, capped at
 * `max`, shortened by up to `jitter` of itself.
 */
export function ejectionMs(options: ResolvedPassive, ejections: number, random: () => number): number {
  const backoff = Math.min(options.maxEjectionMs, options.baseEjectionMs * 2 ** Math.min(ejections - 1, 52));
  return backoff * (1 - options.jitter * random());
}
