import { describe, expect, it } from "vitest";
import { LimitsArgumentError, TokenBucket } from "../src/index.js";
import { FakeClock } from "./fake-clock.js";

describe("TokenBucket", () => {
  it("allows a burst of capacity, then one token per refill period", () => {
    const clock = new FakeClock(50_000);
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1, now: clock.now });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    expect(bucket.retryAfterMs()).toBe(1000);
    clock.advance(400);
    expect(bucket.retryAfterMs()).toBe(600);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(600);
    expect(bucket.retryAfterMs()).toBe(0);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it("takes several tokens at once or none", () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 10, now: clock.now });
    expect(bucket.tryTake(7)).toBe(true);
    expect(bucket.tryTake(4)).toBe(false);
    expect(bucket.tokens).toBe(3);
    expect(bucket.retryAfterMs(4)).toBe(100);
    clock.advance(150);
    expect(bucket.tokens).toBeCloseTo(4.5, 12);
    expect(bucket.tryTake(4)).toBe(true);
    expect(bucket.tryTake(0)).toBe(true);
  });

  it("never holds more than capacity and says Infinity for more than it can ever hold", () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 100, now: clock.now });
    clock.advance(60_000);
    expect(bucket.tokens).toBe(5);
    expect(bucket.tryTake(6)).toBe(false);
    expect(bucket.retryAfterMs(6)).toBe(Number.POSITIVE_INFINITY);
  });

  it("can start empty", () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 2, initialTokens: 0, now: clock.now });
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.retryAfterMs()).toBe(500);
  });

  it("refills nothing while the clock goes backwards", () => {
    const clock = new FakeClock(1000);
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1, now: clock.now });
    expect(bucket.tryTake()).toBe(true);
    clock.set(0);
    expect(bucket.tryTake()).toBe(false);
    clock.set(2000);
    expect(bucket.tryTake()).toBe(true);
  });

  it("rejects bad options and token counts", () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(LimitsArgumentError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: Number.POSITIVE_INFINITY })).toThrow(LimitsArgumentError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: 1, initialTokens: -1 })).toThrow(LimitsArgumentError);
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 });
    expect(() => bucket.tryTake(-1)).toThrow(LimitsArgumentError);
    expect(() => bucket.retryAfterMs(Number.NaN)).toThrow(LimitsArgumentError);
  });
});
