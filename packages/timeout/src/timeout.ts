import { defaultWheel } from "./default-wheel.js";
import { assertDelay } from "./delay.js";
import { NO_TIMER } from "./handle.js";
import { TimeoutError } from "./timeout-error.js";
import type { TimerWheel } from "./timer-wheel.js";

/** Options for {@link timeout}. */
export interface TimeoutOptions {
  /** Stops waiting early: the result rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** The wheel to arm on (default {@link defaultWheel}). */
  wheel?: TimerWheel;
  /**
   * Keep the process alive while waiting (default `false`: like every wheel timer, it
   * does not hold the event loop open, which suits servers whose sockets already do).
   */
  ref?: boolean;
}

/** One pending `timeout()` call; doubles as its abort listener, so no closure is needed there. */
class TimeoutRace<T> {
  handle = NO_TIMER;
  settled = false;

  constructor(
    readonly resolve: (value: T) => void,
    readonly reject: (reason: unknown) => void,
    readonly ms: number,
    readonly wheel: TimerWheel,
    readonly signal: AbortSignal | undefined,
  ) {}

  fulfil(value: T): void {
    if (this.settled) return;
    this.finish();
    this.resolve(value);
  }

  fail(reason: unknown): void {
    if (this.settled) return;
    this.finish();
    this.reject(reason);
  }

  /** The signal aborted. */
  handleEvent(): void {
    if (this.settled) return;
    this.finish();
    this.reject(this.signal!.reason);
  }

  private finish(): void {
    this.settled = true;
    this.wheel.cancel(this.handle);
    this.signal?.removeEventListener("abort", this);
  }
}

function onDeadline(race: TimeoutRace<unknown>): void {
  if (race.settled) return;
  race.settled = true;
  race.signal?.removeEventListener("abort", race);
  race.reject(new TimeoutError(race.ms));
}

/**
 * Waits for `work`, but no longer than `ms` milliseconds (rounded up to the wheel's
 * resolution). Settles like `work` if it settles first, and then disarms its timer;
 * otherwise rejects with a {@link TimeoutError} (`code: "ZP_TIMEOUT"`, `ms`). If
 * `options.signal` aborts first, rejects with `signal.reason`.
 *
 * `ms <= 0` gives `work` until the next tick; `ms = Infinity` never times out; `NaN`
 * throws a RangeError. `work` itself is not cancelled: it keeps running, and a later
 * rejection of it is handled (no unhandled-rejection warning).
 *
 * @example
 * ```ts
 * const body = await timeout(readBody(req), 30_000);
 * ```
 */
export function timeout<T>(work: PromiseLike<T>, ms: number, options?: TimeoutOptions): Promise<T> {
  assertDelay(ms);
  const wheel = options?.wheel ?? defaultWheel;
  const signal = options?.signal;
  const ref = options?.ref === true;
  return new Promise<T>((resolve, reject) => {
    const race = new TimeoutRace<T>(resolve, reject, ms, wheel, signal);
    work.then(
      (value) => race.fulfil(value),
      (reason: unknown) => race.fail(reason),
    );
    if (signal !== undefined) {
      if (signal.aborted) {
        race.settled = true;
        reject(signal.reason);
        return;
      }
      signal.addEventListener("abort", race);
    }
    race.handle = wheel.armPrecise(ms, onDeadline, race as TimeoutRace<unknown>);
    if (ref) wheel.keepAlive(race.handle);
  });
}
