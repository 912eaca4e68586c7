import { performance } from "node:perf_hooks";

let cached = -1;

function expire(): void {
  cached = -1;
}

/**
 * `performance.now()` read once per turn of the event loop: the first call in a turn reads
 * the clock, later calls in the same turn return that reading. A turn ends when Node runs its
 * `setImmediate` callbacks, so the value is never older than the work done since the loop
 * last polled for I/O (nginx keeps its time the same way).
 *
 * Reading the clock costs tens of nanoseconds in a virtual machine; code that stamps many
 * events per turn (timeouts armed, requests started, connections idled) pays it once.
 * Time does not move inside a turn: never spin on it waiting for time to pass.
 */
export function turnNow(): number {
  if (cached < 0) {
    cached = performance.now();
    setImmediate(expire);
  }
  return cached;
}
