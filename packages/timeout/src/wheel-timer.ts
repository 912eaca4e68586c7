import type { TimerWheel } from "./timer-wheel.js";

/**
 * An armed timer as an object, returned by {@link TimerWheel.schedule}. A thin wrapper
 * over the numeric handle: `cancel()` is as cheap as `wheel.cancel(handle)`.
 */
export class WheelTimer {
  /** The wheel the timer is armed on. */
  readonly wheel: TimerWheel;
  /** The numeric handle, usable with `wheel.cancel` directly. */
  readonly handle: number;

  /** Wraps a handle returned by `wheel.arm`. */
  constructor(wheel: TimerWheel, handle: number) {
    this.wheel = wheel;
    this.handle = handle;
  }

  /** Disarms the timer. @returns Whether it was still pending. */
  cancel(): boolean {
    return this.wheel.cancel(this.handle);
  }

  /** Whether the timer is still pending (not fired, not cancelled). */
  get armed(): boolean {
    return this.wheel.isArmed(this.handle);
  }
}
