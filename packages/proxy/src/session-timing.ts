import { performance } from "node:perf_hooks";
import { turnNow } from "@zp/timeout";

/** When a session started and how long its upstream steps took, in milliseconds. */
export class SessionTiming {
  /** Monotonic start (`performance.now()`, as read once per event-loop turn: {@link turnNow}). */
  readonly start: number;
  /** Time the last attempt took to get an upstream connection (0 for a pooled one), or -1. */
  upstreamConnectMs = -1;
  /** Time from the start of the session to the upstream response head, or -1. */
  upstreamFirstByteMs = -1;
  private endMark = 0;

  constructor() {
    this.start = turnNow();
  }

  /** Wall-clock start in ms since the epoch (from the monotonic start: one clock read per session, not two). */
  get startedAt(): number {
    return Math.round(performance.timeOrigin + this.start);
  }

  /** Time from the start to the end of the session (so far, while it runs). */
  get totalMs(): number {
    return (this.endMark === 0 ? turnNow() : this.endMark) - this.start;
  }

  /** @internal Milliseconds since the start. */
  elapsed(): number {
    return turnNow() - this.start;
  }

  /** @internal The session is over: freezes `totalMs`. */
  finish(): void {
    if (this.endMark === 0) this.endMark = turnNow();
  }
}
