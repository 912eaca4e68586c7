import { describe, expect, it } from "vitest";
import { TimeoutError, TimerWheel, timeout } from "../src/index.js";

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

describe("timeout", () => {
  it("rejects with a TimeoutError carrying code and ms, never early", async () => {
    const start = performance.now();
    const err = await timeout(never(), 30).catch((e: unknown) => e);
    const elapsed = performance.now() - start;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toBeInstanceOf(Error);
    expect((err as TimeoutError).code).toBe("ZP_TIMEOUT");
    expect((err as TimeoutError).ms).toBe(30);
    expect((err as TimeoutError).name).toBe("TimeoutError");
    expect((err as TimeoutError).message).toBe("timed out after 30 ms");
    expect(elapsed).toBeGreaterThanOrEqual(30);
    expect(elapsed).toBeLessThan(30 + 100);
  });

  it("resolves with the value when the work settles first, and disarms its timer", async () => {
    const wheel = new TimerWheel();
    const p = timeout(Promise.resolve(42), 1_000, { wheel });
    expect(wheel.activeTimers).toBe(1);
    await expect(p).resolves.toBe(42);
    expect(wheel.activeTimers).toBe(0);
    const slow = timeout(wait(20).then(() => "late but in time"), 500, { wheel });
    await expect(slow).resolves.toBe("late but in time");
    expect(wheel.activeTimers).toBe(0);
  });

  it("rejects with the work's own error when it fails first, and disarms its timer", async () => {
    const wheel = new TimerWheel();
    const boom = new Error("upstream reset");
    await expect(timeout(Promise.reject(boom), 1_000, { wheel })).rejects.toBe(boom);
    expect(wheel.activeTimers).toBe(0);
  });

  it("accepts thenables", async () => {
    const thenable: PromiseLike<string> = {
      then(onFulfilled) {
        setTimeout(() => onFulfilled?.("from thenable"), 1);
        return this as never;
      },
    };
    await expect(timeout(thenable, 1_000)).resolves.toBe("from thenable");
  });

  it("ignores the work's outcome after timing out, without unhandled rejections", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const late = wait(60).then(() => {
        throw new Error("too late");
      });
      await expect(timeout(late, 10)).rejects.toBeInstanceOf(TimeoutError);
      await wait(100);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("gives ms <= 0 until the next tick and never times out with Infinity", async () => {
    await expect(timeout(Promise.resolve("ready"), 0)).resolves.toBe("ready");
    await expect(timeout(never(), 0)).rejects.toMatchObject({ code: "ZP_TIMEOUT", ms: 0 });
    await expect(timeout(never(), -5)).rejects.toMatchObject({ code: "ZP_TIMEOUT", ms: -5 });
    const wheel = new TimerWheel();
    await expect(timeout(wait(30).then(() => 1), Number.POSITIVE_INFINITY, { wheel })).resolves.toBe(1);
    expect(wheel.nativeTimersStarted).toBe(0);
  });

  it("throws a RangeError for NaN", () => {
    expect(() => timeout(Promise.resolve(1), Number.NaN)).toThrow(RangeError);
  });

  it("rejects with the abort reason when the signal aborts first", async () => {
    const wheel = new TimerWheel();
    const controller = new AbortController();
    const reason = new Error("client went away");
    const p = timeout(never(), 5_000, { signal: controller.signal, wheel });
    setTimeout(() => controller.abort(reason), 10);
    await expect(p).rejects.toBe(reason);
    expect(wheel.activeTimers).toBe(0);
  });

  it("rejects at once for an already aborted signal, without arming", async () => {
    const wheel = new TimerWheel();
    const signal = AbortSignal.abort(new Error("already"));
    await expect(timeout(never(), 5_000, { signal, wheel })).rejects.toThrow("already");
    expect(wheel.nativeTimersStarted).toBe(0);
  });

  it("stops listening to the signal once settled", async () => {
    const controller = new AbortController();
    await expect(timeout(Promise.resolve("ok"), 1_000, { signal: controller.signal })).resolves.toBe("ok");
    await expect(timeout(never(), 5, { signal: controller.signal })).rejects.toBeInstanceOf(TimeoutError);
    controller.abort(); // must not throw or reject anything settled already
    await wait(5);
  });
});
