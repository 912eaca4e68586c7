import { describe, expect, it } from "vitest";
import { TimerWheel, sleep } from "../src/index.js";

describe("sleep", () => {
  it("resolves no earlier than asked and within resolution + slack", async () => {
    for (const ms of [1, 15, 40]) {
      const start = performance.now();
      await sleep(ms);
      const elapsed = performance.now() - start;
      expect(elapsed).toBeGreaterThanOrEqual(ms);
      expect(elapsed).toBeLessThan(ms + 100);
    }
  });

  it("resolves on the next tick for 0 and negative delays", async () => {
    let done = false;
    const p = sleep(-1).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    await p;
    expect(done).toBe(true);
    await expect(sleep(0)).resolves.toBeUndefined();
  });

  it("throws a RangeError for NaN", () => {
    expect(() => sleep(Number.NaN)).toThrow(RangeError);
  });

  it("uses a custom wheel", async () => {
    const wheel = new TimerWheel({ resolutionMs: 25 });
    const p = sleep(5, { wheel });
    expect(wheel.activeTimers).toBe(1);
    await p;
    expect(wheel.activeTimers).toBe(0);
  });

  it("rejects with the abort reason and disarms its timer", async () => {
    const wheel = new TimerWheel();
    const controller = new AbortController();
    const p = sleep(5_000, { signal: controller.signal, wheel });
    setTimeout(() => controller.abort(new Error("shutdown")), 10);
    await expect(p).rejects.toThrow("shutdown");
    expect(wheel.activeTimers).toBe(0);
  });

  it("can sleep forever until aborted", async () => {
    const controller = new AbortController();
    const p = sleep(Number.POSITIVE_INFINITY, { signal: controller.signal });
    setTimeout(() => controller.abort("stop"), 10);
    await expect(p).rejects.toBe("stop");
  });

  it("rejects at once for an already aborted signal", async () => {
    const wheel = new TimerWheel();
    await expect(sleep(10, { signal: AbortSignal.abort("gone"), wheel })).rejects.toBe("gone");
    expect(wheel.nativeTimersStarted).toBe(0);
  });

  it("resolves normally with a signal that never aborts", async () => {
    const controller = new AbortController();
    await expect(sleep(5, { signal: controller.signal })).resolves.toBeUndefined();
    controller.abort(); // after waking: nothing left to reject
  });
});
