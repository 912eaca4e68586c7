import type { Backend } from "../backend.js";
import { ejectionMs, type ResolvedPassive } from "./passive-options.js";

/**
 * @internal The health of one endpoint (`address:port`), kept across rebuilds and weight
 * changes. A backend is usable when it is enabled, healthy by the active checks, and not
 * ejected by passive health (or ejected, expired, and its one half-open trial is free).
 */
export class EndpointHealth<E = unknown> {
  /** The latest backend at this endpoint, reported in callbacks. */
  backend: Backend<E>;
  /** Administrative switch, independent of health (pingora's `enable`). */
  enabled = true;
  /** Health by the active checks. */
  healthy: boolean;
  /** Consecutive active results opposite to `healthy` (pingora's `consecutive_counter`). */
  counter = 0;
  /** Consecutive reported failures while not ejected. */
  failures = 0;
  /** Ejections in a row without a successful trial. */
  ejections = 0;
  /** When the current ejection ends (clock ms); 0 when not ejected. */
  ejectedUntil = 0;
  /** When the half-open trial was handed out; -1 when it is free. */
  trialAt = -1;

  constructor(backend: Backend<E>, healthy: boolean) {
    this.backend = backend;
    this.healthy = healthy;
  }

  /** Healthy by both the active checks and passive health. */
  get effectiveHealthy(): boolean {
    return this.healthy && this.ejectedUntil === 0;
  }

  /** Whether a half-open trial could be handed out now (without taking it). */
  trialFree(now: number, trialTimeoutMs: number): boolean {
    return now >= this.ejectedUntil && (this.trialAt < 0 || now - this.trialAt >= trialTimeoutMs);
  }

  /** Hands out the half-open trial if it is free; returns whether it was. */
  takeTrial(now: number, trialTimeoutMs: number): boolean {
    if (!this.trialFree(now, trialTimeoutMs)) return false;
    this.trialAt = now;
    return true;
  }

  /** Usable now, without taking a trial. */
  usable(now: number, trialTimeoutMs: number): boolean {
    return this.enabled && this.healthy && (this.ejectedUntil === 0 || this.trialFree(now, trialTimeoutMs));
  }

  /**
   * One active check result. The state flips after `threshold` consecutive opposite results;
   * a result agreeing with the state resets the count. Returns whether it flipped.
   */
  observe(success: boolean, threshold: number): boolean {
    if (this.healthy === success) {
      this.counter = 0;
      return false;
    }
    this.counter++;
    if (this.counter < threshold) return false;
    this.healthy = success;
    this.counter = 0;
    return true;
  }

  /**
   * A failure reported by the proxy. Returns `"ejected"` when it ejects a backend that was in
   * service, `"extended"` when a failed half-open trial ejects it again for longer, else
   * `"counted"` (or `"ignored"` for a late report during an ejection).
   */
  fail(now: number, options: ResolvedPassive, random: () => number): "ejected" | "extended" | "counted" | "ignored" {
    if (this.ejectedUntil !== 0) {
      if (now < this.ejectedUntil) return "ignored";
      this.ejections++;
      this.ejectedUntil = Math.max(1, now + ejectionMs(options, this.ejections, random));
      this.trialAt = -1;
      return "extended";
    }
    this.failures++;
    if (this.failures < options.failureThreshold) return "counted";
    this.failures = 0;
    this.ejections++;
    this.ejectedUntil = Math.max(1, now + ejectionMs(options, this.ejections, random));
    this.trialAt = -1;
    return "ejected";
  }

  /**
   * A success reported by the proxy. Returns `"recovered"` when it ends a half-open ejection,
   * else `"counted"` (or `"ignored"` during an ejection that has not expired).
   */
  succeed(now: number): "recovered" | "counted" | "ignored" {
    if (this.ejectedUntil !== 0) {
      if (now < this.ejectedUntil) return "ignored";
      this.ejectedUntil = 0;
      this.ejections = 0;
      this.failures = 0;
      this.trialAt = -1;
      return "recovered";
    }
    this.failures = 0;
    return "counted";
  }
}
