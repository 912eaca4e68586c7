import { describe, expect, it } from "vitest";
import { LeakyBucket, LimitsArgumentError } from "../src/index.js";
import { FakeClock } from "./fake-clock.js";

describe("LeakyBucket", () => {
  it("admits until full, then as fast as it drains", () => {
    const clock = new FakeClock(7);
    const bucket = new LeakyBucket({ capacity: 2, leakPerSecond: 1, now: clock.now });
    expect(bucket.level).toBe(0);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
    expect(bucket.level).toBe(2);
    expect(bucket.retryAfterMs()).toBe(1000);
    clock.advance(250);
    expect(bucket.retryAfterMs()).toBe(750);
    clock.advance(750);
    expect(bucket.level).toBe(1);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it("tells how long an admitted request should wait to leave at the steady rate", () => {
    const clock = new FakeClock();
    const bucket = new LeakyBucket({ capacity: 5, leakPerSecond: 10, now: clock.now });
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.delayMs()).toBe(0);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.delayMs()).toBe(100);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.delayMs()).toBe(200);
    clock.advance(100);
    expect(bucket.delayMs()).toBe(100);
  });

  it("drains to empty, not below", () => {
    const clock = new FakeClock();
    const bucket = new LeakyBucket({ capacity: 3, leakPerSecond: 1, now: clock.now });
    bucket.tryTake(3);
    clock.advance(10_000);
    expect(bucket.level).toBe(0);
    expect(bucket.tryTake(3)).toBe(true);
    expect(bucket.retryAfterMs(4)).toBe(Number.POSITIVE_INFINITY);
  });

  it("rejects bad options and amounts", () => {
    expect(() => new LeakyBucket({ capacity: -1, leakPerSecond: 1 })).toThrow(LimitsArgumentError);
    expect(() => new LeakyBucket({ capacity: 1, leakPerSecond: 0 })).toThrow(LimitsArgumentError);
    expect(() => new LeakyBucket({ capacity: 1, leakPerSecond: 1 }).tryTake(-2)).toThrow(LimitsArgumentError);
  });
});
