import { TimerWheel, sleep } from "@zp/timeout";
import { describe, expect, it } from "vitest";
import { CoarseClock, coarseNow } from "../src/index.js";

function countingSource() {
  const source = { reads: 0, read: () => (source.reads++, performance.now()) };
  return source;
}

describe("CoarseClock", () => {
  it("reads its source once per synchronous run", () => {
    const source = countingSource();
    const clock = new CoarseClock(source.read, new TimerWheel({ resolutionMs: 5 }));
    const first = clock.now();
    for (let i = 0; i < 1_000; i++) expect(clock.now()).toBe(first);
    expect(source.reads).toBe(1);
  });

  it("reads the source again after a tick, and is never ahead of it", async () => {
    const source = countingSource();
    const clock = new CoarseClock(source.read, new TimerWheel({ resolutionMs: 5 }));
    const first = clock.now();
    await sleep(30, { ref: true });
    const second = clock.now();
    expect(source.reads).toBe(2);
    expect(second - first).toBeGreaterThanOrEqual(25);
    expect(second).toBeLessThanOrEqual(performance.now());
  });

  it("arms no timer while nobody reads it", async () => {
    const wheel = new TimerWheel({ resolutionMs: 5 });
    const clock = new CoarseClock(performance.now.bind(performance), wheel);
    expect(wheel.activeTimers).toBe(0);
    clock.now();
    clock.now();
    expect(wheel.activeTimers).toBe(1);
    await sleep(30, { ref: true });
    expect(wheel.activeTimers).toBe(0);
    // Once the tick passed and nobody read the clock again, no timer is started any more.
    const started = wheel.nativeTimersStarted;
    await sleep(30, { ref: true });
    expect(wheel.activeTimers).toBe(0);
    expect(wheel.nativeTimersStarted).toBe(started);
  });

  it("coarseNow follows performance.now within a tick", async () => {
    await sleep(15, { ref: true });
    const before = performance.now();
    const coarse = coarseNow();
    expect(coarse).toBeLessThanOrEqual(performance.now());
    expect(before - coarse).toBeLessThan(50);
  });
});
