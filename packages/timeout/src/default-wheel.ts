import { TimerWheel } from "./timer-wheel.js";

/**
 * The wheel shared by {@link timeout} and {@link sleep} when no `wheel` option is given
 * (10 ms resolution). Share it too: timers on one wheel share native timers.
 */
export const defaultWheel: TimerWheel = new TimerWheel();
