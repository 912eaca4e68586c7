import { performance } from "node:perf_hooks";
/**
 * A source of time in milliseconds. Only differences between two readings matter, so any
 * origin works; the value should never go backwards. Tests inject a fake one.
 */
export type Clock = () => number;

/** The default {@link Clock}: `performance.now()`, monotonic and immune to wall-clock jumps. */
export const monotonicClock: Clock = () => performance.now();
