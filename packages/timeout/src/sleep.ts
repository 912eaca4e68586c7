import { defaultWheel } from "./default-wheel.js";
import { assertDelay } from "./delay.js";
import { NO_TIMER } from "./handle.js";
import type { TimerWheel } from "./timer-wheel.js";

/** Options for {@link sleep}. */
export interface SleepOptions {
  /** Stops sleeping early: the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** The wheel to arm on (default {@link defaultWheel}). */
  wheel?: TimerWheel;
  /**
   * Keep the process alive while sleeping (default `false`: like every wheel timer, it
   * does not hold the event loop open, which suits servers whose sockets already do).
   */
  ref?: boolean;
}

/** One abortable `sleep()` call; doubles as its abort listener. */
class AbortableSleep {
  handle = NO_TIMER;

  constructor(
    readonly resolve: () => void,
    readonly reject: (reason: unknown) => void,
    readonly wheel: TimerWheel,
    readonly signal: AbortSignal,
  ) {}

  /** The signal aborted. */
  handleEvent(): void {
    this.wheel.cancel(this.handle);
    this.reject(this.signal.reason);
  }
}

function onWake(sleeper: AbortableSleep): void {
  sleeper.signal.removeEventListener("abort", sleeper);
  sleeper.resolve();
}

/**
 * Resolves after at least `ms` milliseconds (rounded up to the wheel's resolution).
 * `ms <= 0` resolves at the next tick; `ms = Infinity` never resolves (unless aborted);
 * `NaN` throws a RangeError. If `options.signal` aborts first, rejects with `signal.reason`.
 *
 * @example
 * ```ts
 * await sleep(100); // back off before retrying
 * ```
 */
export function sleep(ms: number, options?: SleepOptions): Promise<void> {
  assertDelay(ms);
  const wheel = options?.wheel ?? defaultWheel;
  const signal = options?.signal;
  const ref = options?.ref === true;
  if (signal === undefined) {
    return new Promise<void>((resolve) => {
      const handle = wheel.armPrecise(ms, resolve);
      if (ref) wheel.keepAlive(handle);
    });
  }
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const sleeper = new AbortableSleep(resolve, reject, wheel, signal);
    signal.addEventListener("abort", sleeper, { once: true });
    sleeper.handle = wheel.armPrecise(ms, onWake, sleeper);
    if (ref) wheel.keepAlive(sleeper.handle);
  });
}
