export { TimerWheel, type TimerWheelOptions, type TimerCallback } from "./timer-wheel.js";
export { WheelTimer } from "./wheel-timer.js";
export { NO_TIMER } from "./handle.js";
export { defaultWheel } from "./default-wheel.js";
export { TimeoutError } from "./timeout-error.js";
export { timeout, type TimeoutOptions } from "./timeout.js";
export { sleep, type SleepOptions } from "./sleep.js";
export { turnNow } from "./turn-clock.js";
