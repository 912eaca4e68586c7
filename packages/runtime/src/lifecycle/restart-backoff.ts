/** How dead workers are restarted. */
export interface RestartBackoffOptions {
  /** Delay before the first restart (default 100 ms). */
  initialDelayMs?: number;
  /** Upper bound of the delay, which doubles with each quick death (default 10 s). */
  maxDelayMs?: number;
  /** A worker that ran at least this long resets the delay to the initial one (default 10 s). */
  stableAfterMs?: number;
}

/** Exponential restart delays for one worker slot. */
export class RestartBackoff {
  private failures = 0;
  private readonly initial: number;
  private readonly max: number;
  private readonly stableAfter: number;

  constructor(options: RestartBackoffOptions = {}) {
    this.initial = options.initialDelayMs ?? 100;
    this.max = options.maxDelayMs ?? 10_000;
    this.stableAfter = options.stableAfterMs ?? 10_000;
  }

  /** The delay before restarting a worker that died after running `livedMs`. */
  next(livedMs: number): number {
    if (livedMs >= this.stableAfter) this.failures = 0;
    const ms = Math.min(this.max, this.initial * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    return ms;
  }
}
