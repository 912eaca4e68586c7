import { describe, expect, it } from "vitest";
import { NO_TIMER, TimerWheel, turnNow } from "../src/index.js";

/** Resolves after a plain native timer, to let wheel timers run. */
function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the clock is early in a tick, so a burst of arms cannot straddle two ticks. */
async function alignToTick(resolutionMs: number, maxPhase: number): Promise<void> {
  while (performance.now() % resolutionMs > maxPhase) {
    await wait(resolutionMs - (performance.now() % resolutionMs) + 1);
  }
}

/**
 * Arms a timer and resolves with the time elapsed when it fires, measured from what `arm`
 * measures from: the turn's time.
 */
function measureFire(wheel: TimerWheel, ms: number): Promise<number> {
  return new Promise((resolve) => {
    const start = turnNow();
    wheel.arm(ms, () => resolve(performance.now() - start));
  });
}

/** Busy-waits `ms` on the precise clock (synchronous work within one turn). */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("TimerWheel timing", () => {
  it("never fires early and fires within resolution + slack", async () => {
    const wheel = new TimerWheel({ resolutionMs: 10 });
    const delays = [1, 5, 9, 10, 11, 23, 37, 50, 99, 120];
    const elapsed = await Promise.all(delays.map((ms) => measureFire(wheel, ms)));
    for (const [i, ms] of delays.entries()) {
      expect(elapsed[i]).toBeGreaterThanOrEqual(ms);
      expect(elapsed[i]).toBeLessThan(ms + 100);
    }
    expect(wheel.activeTimers).toBe(0);
  });

  it("never fires early with a coarse custom resolution", async () => {
    const wheel = new TimerWheel({ resolutionMs: 50 });
    const elapsed = await Promise.all([1, 49, 51, 75].map((ms) => measureFire(wheel, ms)));
    expect(elapsed[0]).toBeGreaterThanOrEqual(1);
    expect(elapsed[1]).toBeGreaterThanOrEqual(49);
    expect(elapsed[2]).toBeGreaterThanOrEqual(51);
    expect(elapsed[3]).toBeGreaterThanOrEqual(75);
    for (const e of elapsed) expect(e).toBeLessThan(75 + 50 + 100);
  });

  it("fires ms = 0 and negative delays on the next tick, never synchronously", async () => {
    const wheel = new TimerWheel();
    const fired: string[] = [];
    wheel.arm(0, () => fired.push("zero"));
    wheel.arm(-50, () => fired.push("negative"));
    wheel.arm(Number.NEGATIVE_INFINITY, () => fired.push("-infinity"));
    expect(fired).toEqual([]);
    await Promise.resolve();
    expect(fired).toEqual([]);
    await wait(40);
    expect(fired).toEqual(["zero", "negative", "-infinity"]);
  });

  it("treats Infinity as never and NaN as an error", async () => {
    const wheel = new TimerWheel();
    let fired = false;
    const handle = wheel.arm(Number.POSITIVE_INFINITY, () => (fired = true));
    expect(handle).toBe(NO_TIMER);
    expect(wheel.activeTimers).toBe(0);
    expect(wheel.pendingBuckets).toBe(0);
    expect(wheel.cancel(handle)).toBe(false);
    expect(() => wheel.arm(Number.NaN, () => {})).toThrow(RangeError);
    await wait(20);
    expect(fired).toBe(false);
  });

  it("tells the time its latest arm measured from: the turn's for arm, a fresh reading for armPrecise", () => {
    const wheel = new TimerWheel();
    expect(wheel.lastArmedAt).toBe(0);
    const handle = wheel.arm(1000, () => {});
    expect(wheel.lastArmedAt).toBe(turnNow());
    const first = wheel.lastArmedAt;
    wheel.arm(Number.POSITIVE_INFINITY, () => {}); // arms nothing
    expect(wheel.lastArmedAt).toBe(first);
    spin(2);
    const before = performance.now();
    const precise = wheel.armPrecise(1000, () => {});
    expect(wheel.lastArmedAt).toBeGreaterThanOrEqual(before);
    expect(wheel.lastArmedAt).toBeGreaterThan(first);
    wheel.cancel(handle);
    wheel.cancel(precise);
  });

  it("arm measures from the turn's time; armPrecise from the call, however long the turn ran", async () => {
    const wheel = new TimerWheel({ resolutionMs: 5 });
    await wait(1); // a fresh turn
    const turnStart = turnNow();
    spin(40); // synchronous work in the same turn
    const called = performance.now();
    const fromTurn = new Promise<number>((resolve) => wheel.arm(60, () => resolve(performance.now())));
    const fromCall = new Promise<number>((resolve) => wheel.armPrecise(60, () => resolve(performance.now())));
    const [turnFired, callFired] = await Promise.all([fromTurn, fromCall]);
    expect(turnFired - turnStart).toBeGreaterThanOrEqual(60);
    expect(turnFired - called).toBeLessThan(60); // measured from the turn: early against the call
    expect(callFired - called).toBeGreaterThanOrEqual(60);
  });

  it("chains delays beyond the 2^31-1 ms native limit instead of firing at once", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const wheel = new TimerWheel();
      let fired = false;
      const handle = wheel.arm(2 ** 31 + 1_000, () => (fired = true));
      wheel.arm(Number.MAX_SAFE_INTEGER, () => (fired = true));
      expect(wheel.pendingBuckets).toBe(2);
      await wait(60);
      expect(fired).toBe(false);
      expect(wheel.isArmed(handle)).toBe(true);
      expect(warnings).not.toContain("TimeoutOverflowWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("rejects bad options", () => {
    expect(() => new TimerWheel({ resolutionMs: 0 })).toThrow(RangeError);
    expect(() => new TimerWheel({ resolutionMs: 2.5 })).toThrow(RangeError);
    expect(() => new TimerWheel({ initialCapacity: 0 })).toThrow(RangeError);
    expect(new TimerWheel({ resolutionMs: 1 }).resolutionMs).toBe(1);
  });
});

describe("TimerWheel buckets", () => {
  it("shares one native timer between all timers of a rounded deadline", async () => {
    const wheel = new TimerWheel({ resolutionMs: 1000 });
    let fired = 0;
    await alignToTick(1000, 300);
    for (let i = 0; i < 10_000; i++) wheel.arm(500, () => fired++);
    expect(wheel.pendingBuckets).toBe(1);
    expect(wheel.nativeTimersStarted).toBe(1);
    expect(wheel.activeTimers).toBe(10_000);
    await wait(1_600);
    expect(fired).toBe(10_000);
    expect(wheel.activeTimers).toBe(0);
    expect(wheel.pendingBuckets).toBe(0);
  });

  it("fires the entries of a bucket in insertion order", async () => {
    const wheel = new TimerWheel({ resolutionMs: 200 });
    const order: number[] = [];
    const record = (n: number): void => void order.push(n);
    await alignToTick(200, 100);
    for (let n = 0; n < 50; n++) wheel.arm(10 + (n % 3), record, n);
    expect(wheel.nativeTimersStarted).toBe(1);
    await wait(450);
    expect(order).toEqual([...Array(50).keys()]);
  });

  it("keeps an emptied bucket's native timer for reuse and releases it when due", async () => {
    const wheel = new TimerWheel({ resolutionMs: 100 });
    await alignToTick(100, 40);
    for (let i = 0; i < 1_000; i++) wheel.cancel(wheel.arm(50, () => {}));
    expect(wheel.activeTimers).toBe(0);
    expect(wheel.nativeTimersStarted).toBe(1);
    expect(wheel.pendingBuckets).toBe(1);
    await wait(300);
    expect(wheel.pendingBuckets).toBe(0);
  });

  it("passes the argument to the callback", async () => {
    const wheel = new TimerWheel();
    const seen: unknown[] = [];
    const arg = { id: 7 };
    wheel.arm(1, (x: { id: number }) => seen.push(x), arg);
    await wait(40);
    expect(seen).toEqual([arg]);
    expect(seen[0]).toBe(arg);
  });

  it("grows past its initial capacity", async () => {
    const wheel = new TimerWheel({ initialCapacity: 4 });
    let fired = 0;
    const handles: number[] = [];
    for (let i = 0; i < 5_000; i++) handles.push(wheel.arm(5 + (i % 30), () => fired++));
    for (let i = 0; i < 5_000; i += 2) wheel.cancel(handles[i]!);
    expect(wheel.activeTimers).toBe(2_500);
    await wait(150);
    expect(fired).toBe(2_500);
  });

  it("keeps firing the rest of a bucket when a callback throws, and rethrows the error", async () => {
    const wheel = new TimerWheel({ resolutionMs: 50 });
    const caught: unknown[] = [];
    const listeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    const onError = (err: unknown): void => void caught.push(err);
    process.on("uncaughtException", onError);
    try {
      const fired: number[] = [];
      const boom = new Error("boom");
      wheel.arm(10, () => fired.push(1));
      wheel.arm(10, () => {
        throw boom;
      });
      wheel.arm(10, () => fired.push(3));
      await wait(150);
      expect(fired.sort()).toEqual([1, 3]);
      expect(caught).toEqual([boom]);
    } finally {
      process.off("uncaughtException", onError);
      for (const l of listeners) process.on("uncaughtException", l);
    }
  });
});

describe("TimerWheel handles", () => {
  it("cancel prevents firing and is O(1) on a shared bucket", async () => {
    const wheel = new TimerWheel();
    const fired: number[] = [];
    const record = (n: number): void => void fired.push(n);
    const a = wheel.arm(10, record, 1);
    const b = wheel.arm(10, record, 2);
    const c = wheel.arm(10, record, 3);
    expect(wheel.cancel(b)).toBe(true);
    expect(wheel.isArmed(b)).toBe(false);
    expect(wheel.isArmed(a)).toBe(true);
    expect(wheel.activeTimers).toBe(2);
    await wait(80);
    expect(fired.sort()).toEqual([1, 3]);
    expect(wheel.isArmed(a)).toBe(false);
    expect(wheel.isArmed(c)).toBe(false);
  });

  it("ignores stale handles: cancelled twice, fired, or from a reused slot", async () => {
    const wheel = new TimerWheel();
    let firstFired = 0;
    let secondFired = 0;
    const first = wheel.arm(10, () => firstFired++);
    expect(wheel.cancel(first)).toBe(true);
    expect(wheel.cancel(first)).toBe(false);
    // The freed slot is reused with a new generation: the old handle must not touch it.
    const second = wheel.arm(10, () => secondFired++);
    expect(second & 0xffffff).toBe(first & 0xffffff);
    expect(second).not.toBe(first);
    expect(wheel.cancel(first)).toBe(false);
    expect(wheel.isArmed(second)).toBe(true);
    await wait(80);
    expect(firstFired).toBe(0);
    expect(secondFired).toBe(1);
    expect(wheel.cancel(second)).toBe(false);
  });

  it("ignores handles it never issued", () => {
    const wheel = new TimerWheel();
    const real = wheel.arm(1_000, () => {});
    for (const bogus of [0, -1, 1, 3.5, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER, real + 1, real - 0x1000000]) {
      expect(wheel.cancel(bogus)).toBe(false);
    }
    expect(wheel.isArmed(real)).toBe(true);
    expect(wheel.cancel(real)).toBe(true);
  });

  it("offers an object-style timer", async () => {
    const wheel = new TimerWheel();
    let fired = 0;
    const t = wheel.schedule(10, () => fired++);
    const u = wheel.schedule(10, (n: number) => (fired += n), 10);
    expect(t.armed).toBe(true);
    expect(t.cancel()).toBe(true);
    expect(t.cancel()).toBe(false);
    expect(t.armed).toBe(false);
    await wait(80);
    expect(fired).toBe(10);
    expect(u.armed).toBe(false);
  });
});

describe("TimerWheel keepAlive", () => {
  it("accepts armed handles only", async () => {
    const wheel = new TimerWheel();
    let fired = 0;
    const handle = wheel.arm(5, () => fired++);
    expect(wheel.keepAlive(handle)).toBe(true);
    expect(wheel.keepAlive(handle)).toBe(true);
    expect(wheel.keepAlive(NO_TIMER)).toBe(false);
    await wait(60);
    expect(fired).toBe(1);
    expect(wheel.keepAlive(handle)).toBe(false);
    const cancelled = wheel.arm(5, () => fired++);
    wheel.keepAlive(cancelled);
    wheel.cancel(cancelled);
    expect(wheel.keepAlive(cancelled)).toBe(false);
    await wait(60);
    expect(fired).toBe(1);
  });
});
