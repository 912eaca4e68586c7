import { TimeoutError, TimerWheel, sleep, timeout } from "@zp/timeout";

// A wheel with 10 ms ticks: timers ending in the same tick share one native timer.
const wheel = new TimerWheel({ resolutionMs: 10 });

// Arm a read timeout per request; cancel it when the data arrives (the common case).
const handle = wheel.arm(5_000, (id: string) => console.log(`request ${id} timed out`), "req-1");
console.log(wheel.activeTimers, wheel.pendingBuckets); // 1 1
console.log(wheel.cancel(handle)); // true: allocation-free, O(1)
console.log(wheel.cancel(handle)); // false: a stale handle is ignored

// Bound any promise in time. Wheel timers never keep the process alive on their own
// (a server's sockets do); `ref: true` lets a plain script await them.
const fast = await timeout(Promise.resolve("upstream answered"), 1_000);
console.log(fast); // upstream answered

try {
  await timeout(sleep(200), 50, { ref: true });
} catch (err) {
  if (err instanceof TimeoutError) console.log(err.code, err.ms); // ZP_TIMEOUT 50
}

// Sleeping can be aborted.
const controller = new AbortController();
setTimeout(() => controller.abort(new Error("shutting down")), 20);
await sleep(10_000, { signal: controller.signal, ref: true }).catch((err: Error) => console.log(err.message)); // shutting down
