import { performance } from "node:perf_hooks";
import { defaultWheel, type TimerWheel } from "@zp/timeout";

/**
 * A clock that reads the real time at most once per timer-wheel tick (10 ms with the
 * default wheel) and hands out the cached reading in between.
 *
 * Reading `performance.now()` costs tens of nanoseconds, more than a cache hit itself;
 * reading this clock costs a field load. The first read after the cached value went out of
 * date reads the source again and arms one wheel timer that marks it out of date at the
 * next tick, so an idle process runs no timer at all.
 *
 * The time it gives is never ahead of the source and at most one tick (plus event-loop
 * lag) behind it. It only advances between turns of the event loop: a synchronous run
 * sees one instant.
 */
export class CoarseClock {
  /** Milliseconds on the source's scale; bound, so it can be passed around as a function. */
  readonly now: () => number;
  private time = 0;
  private current = false;

  /**
   * @param source The precise clock, in milliseconds (default `performance.now()`).
   * @param wheel The timer wheel whose tick bounds how stale a reading may be.
   */
  constructor(source: () => number = () => performance.now(), wheel: TimerWheel = defaultWheel) {
    const outdate = (): void => {
      this.current = false;
    };
    const refresh = (): number => {
      this.time = source();
      this.current = true;
      wheel.arm(0, outdate);
      return this.time;
    };
    this.now = () => (this.current ? this.time : refresh());
  }
}

/**
 * The clock caches use unless told otherwise: a shared {@link CoarseClock} over
 * `performance.now()` and the default 10 ms timer wheel, in milliseconds.
 */
export const coarseNow: () => number = /* @__PURE__ */ new CoarseClock().now;
