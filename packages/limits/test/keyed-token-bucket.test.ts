import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyedTokenBucket, LimitsArgumentError, TokenBucket } from "../src/index.js";
import { FakeClock } from "./fake-clock.js";

// Refill rates of 1000 / 2^k per second keep every float in these tests exact.
const exactRate = fc.constantFrom(1000, 500, 250, 125, 62.5);

describe("KeyedTokenBucket", () => {
  it("gives each key its own burst and refill", () => {
    const clock = new FakeClock(1_000_000);
    const limiter = new KeyedTokenBucket({ capacity: 2, refillPerSecond: 1, now: clock.now, seed: 1 });
    expect([limiter.tryTake("a"), limiter.tryTake("a"), limiter.tryTake("a")]).toEqual([true, true, false]);
    expect(limiter.tryTake("b")).toBe(true);
    expect(limiter.retryAfterMs("a")).toBe(1000);
    expect(limiter.retryAfterMs("b")).toBe(0);
    clock.advance(400);
    expect(limiter.retryAfterMs("a")).toBe(600);
    expect(limiter.tokens("a")).toBeCloseTo(0.4, 12);
    clock.advance(600);
    expect(limiter.tryTake("a")).toBe(true);
    expect(limiter.tryTake("a")).toBe(false);
  });

  it("says Infinity for more than the capacity and refills all on reset", () => {
    const clock = new FakeClock();
    const limiter = new KeyedTokenBucket({ capacity: 3, refillPerSecond: 1, now: clock.now });
    expect(limiter.tryTake("k", 3)).toBe(true);
    expect(limiter.retryAfterMs("k", 4)).toBe(Number.POSITIVE_INFINITY);
    expect(limiter.tokens("k")).toBe(0);
    limiter.reset();
    expect(limiter.tokens("k")).toBe(3);
    expect(limiter.byteLength).toBe(4 * 16384 * 8);
  });

  it("shares one budget between keys that collide in every row", () => {
    const clock = new FakeClock();
    const limiter = new KeyedTokenBucket({ capacity: 2, refillPerSecond: 1, hashes: 1, slots: 1, now: clock.now });
    expect(limiter.tryTake("a")).toBe(true);
    expect(limiter.tryTake("b")).toBe(true);
    expect(limiter.tryTake("c")).toBe(false);
  });

  it("decides like a TokenBucket for one key", () => {
    const step = fc.record({ advance: fc.integer({ min: 0, max: 40 }), n: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(exactRate, fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 80 }), (refillPerSecond, capacity, steps) => {
        const clock = new FakeClock();
        const keyed = new KeyedTokenBucket({ capacity, refillPerSecond, now: clock.now });
        const single = new TokenBucket({ capacity, refillPerSecond, now: clock.now });
        for (const { advance, n } of steps) {
          clock.advance(advance);
          expect(keyed.retryAfterMs("k", n)).toBe(single.retryAfterMs(n));
          expect(keyed.tryTake("k", n)).toBe(single.tryTake(n));
        }
      }),
    );
  });

  it("never admits a key more than its own bucket would, however crowded the table", () => {
    const step = fc.record({ advance: fc.integer({ min: 0, max: 20 }), key: fc.integer({ min: 0, max: 30 }), n: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(exactRate, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }), fc.array(step, { maxLength: 150 }), (refillPerSecond, capacity, slots, steps) => {
        const clock = new FakeClock();
        const keyed = new KeyedTokenBucket({ capacity, refillPerSecond, hashes: 2, slots, now: clock.now });
        // Each key's admitted requests, replayed into an exact bucket of its own, must all fit.
        const own = new Map<number, TokenBucket>();
        for (const { advance, key, n } of steps) {
          clock.advance(advance);
          if (!own.has(key)) own.set(key, new TokenBucket({ capacity, refillPerSecond, now: clock.now }));
          if (keyed.tryTake(key, n)) expect(own.get(key)!.tryTake(n)).toBe(true);
        }
      }),
    );
  });

  it("rejects bad options", () => {
    expect(() => new KeyedTokenBucket({ capacity: 1, refillPerSecond: 0 })).toThrow(LimitsArgumentError);
    expect(() => new KeyedTokenBucket({ capacity: 1, refillPerSecond: 1, slots: 0 })).toThrow(LimitsArgumentError);
    expect(() => new KeyedTokenBucket({ capacity: 1, refillPerSecond: 1 }).tryTake("k", -1)).toThrow(LimitsArgumentError);
  });
});
