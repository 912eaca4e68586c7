import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LimitsArgumentError, Rate, proportionalRateEstimate, type RateComponents } from "../src/index.js";
import { FakeClock } from "./fake-clock.js";

function rateAt(clock: FakeClock, intervalMs = 1000): Rate {
  return new Rate(intervalMs, { now: clock.now, seed: 11 });
}

describe("Rate (Pingora's vectors, 1 s interval)", () => {
  it("observe counts the current interval; rate reports the previous one", () => {
    const clock = new FakeClock(12_345);
    const r = rateAt(clock);
    const key = 1;
    // second 0
    expect(r.observe(key, 3)).toBe(3);
    expect(r.observe(key, 2)).toBe(5);
    expect(r.rate(key)).toBe(0); // no interval has passed yet
    // second 1
    clock.advance(1000);
    expect(r.observe(key, 4)).toBe(4);
    expect(r.rate(key)).toBe(5);
    // second 2
    clock.advance(1000);
    expect(r.rate(key)).toBe(4);
    // second 3
    clock.advance(1000);
    expect(r.rate(key)).toBe(0); // nothing observed in the past interval
  });

  it("rateWith with a 90/10 weighting", () => {
    const clock = new FakeClock();
    const r = rateAt(clock);
    const key = 1;
    const rate90over10 = (c: RateComponents) => (c.prevSamples * 0.1 + c.currSamples * 0.9) / (c.interval / 1000);
    expect(r.observe(key, 3)).toBe(3);
    expect(r.observe(key, 2)).toBe(5);
    expect(r.rateWith(key, rate90over10)).toBeCloseTo(5 * 0.9, 12);
    clock.advance(1000);
    expect(r.observe(key, 4)).toBe(4);
    expect(r.rateWith(key, rate90over10)).toBeCloseTo(5 * 0.1 + 4 * 0.9, 12);
    clock.advance(1000);
    expect(r.rateWith(key, rate90over10)).toBeCloseTo(4 * 0.1, 12);
    clock.advance(1000);
    expect(r.rateWith(key, rate90over10)).toBe(0);
  });

  it("rateWith with the proportional estimate", () => {
    const clock = new FakeClock();
    const r = rateAt(clock);
    const key = 1;
    expect(r.observe(key, 3)).toBe(3);
    expect(r.observe(key, 2)).toBe(5);
    expect(r.rateWith(key, proportionalRateEstimate)).toBe(5);
    // second 0.5: the current interval counts in full, rate() still sees nothing
    clock.advance(500);
    expect(r.rateWith(key, proportionalRateEstimate)).toBe(5);
    expect(r.rate(key)).toBe(0);
    // second 1: a new interval starts
    clock.advance(500);
    expect(r.observe(key, 4)).toBe(4);
    expect(r.rateWith(key, proportionalRateEstimate)).toBe(5 + 4);
    // second 1.75: a quarter of the previous interval still weighs in
    clock.advance(750);
    expect(r.rateWith(key, proportionalRateEstimate)).toBeCloseTo(5 * 0.25 + 4, 12);
    expect(r.proportionalRate(key)).toBeCloseTo(5 * 0.25 + 4, 12);
    expect(r.rate(key)).toBe(5);
    // second 2.5: restart found 1.5 s after the last one
    clock.advance(750);
    expect(r.rateWith(key, proportionalRateEstimate)).toBeCloseTo(4 * 0.5, 12);
    // second 3.5
    clock.advance(1000);
    expect(r.rateWith(key, proportionalRateEstimate)).toBe(0);
  });
});

describe("Rate", () => {
  it("hands rateWith all four components", () => {
    const clock = new FakeClock();
    const r = rateAt(clock, 2000);
    r.observe("a", 6);
    clock.advance(2000);
    r.observe("a", 3);
    clock.advance(500);
    expect(r.rateWith("a", (c) => c)).toEqual({ prevSamples: 6, currSamples: 3, interval: 2000, currentIntervalFraction: 0.25 });
  });

  it("scales the rate by the interval length", () => {
    const clock = new FakeClock();
    const r = rateAt(clock, 500);
    r.observe("k", 10);
    clock.advance(500);
    expect(r.rate("k")).toBe(20);
    expect(r.intervalMs).toBe(500);
  });

  it("reports 0 once two intervals passed without a call, and starts over", () => {
    const clock = new FakeClock();
    const r = rateAt(clock);
    r.observe("k", 7);
    clock.advance(2500);
    expect(r.rate("k")).toBe(0);
    expect(r.proportionalRate("k")).toBe(0);
    expect(r.rateWith("k", (c) => [c.prevSamples, c.currSamples])).toEqual([0, 0]);
    expect(r.observe("k", 1)).toBe(1);
    clock.advance(1000);
    expect(r.rate("k")).toBe(1);
  });

  it("clears stale data when a restart comes two intervals late", () => {
    const clock = new FakeClock();
    const r = rateAt(clock);
    r.observe("k", 7);
    clock.advance(1000);
    r.observe("k", 2);
    clock.advance(2000); // the restart at 3 s drops both the 7 and the 2
    expect(r.observe("k", 1)).toBe(1);
    clock.advance(1000);
    expect(r.rate("k")).toBe(1);
  });

  it("keeps keys apart", () => {
    const clock = new FakeClock();
    const r = rateAt(clock);
    for (let i = 0; i < 50; i++) r.observe(`client-${i}`, i);
    clock.advance(1000);
    expect(r.rate("client-10")).toBe(10);
    expect(r.rate("client-49")).toBe(49);
    expect(r.rate("never-seen")).toBe(0);
    expect(r.byteLength).toBe(2 * 4 * 1024 * 8);
  });

  it("works with the default clock", () => {
    const r = new Rate(60_000);
    expect(r.observe("x")).toBe(1);
    expect(r.observe("x")).toBe(2);
    expect(r.rate("x")).toBe(0);
  });

  it("rejects a non-positive interval", () => {
    expect(() => new Rate(0)).toThrow(LimitsArgumentError);
    expect(() => new Rate(Number.NaN)).toThrow(LimitsArgumentError);
  });

  it("proportionalRate always equals rateWith(proportionalRateEstimate)", () => {
    const step = fc.record({ advance: fc.integer({ min: 0, max: 2500 }), n: fc.integer({ min: 0, max: 5 }), read: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const clock = new FakeClock();
        const a = rateAt(clock);
        const b = rateAt(clock);
        for (const { advance, n, read } of steps) {
          clock.advance(advance);
          if (n > 0) {
            a.observe("k", n);
            b.observe("k", n);
          }
          if (read) expect(a.proportionalRate("k")).toBeCloseTo(b.rateWith("k", proportionalRateEstimate), 9);
        }
      }),
    );
  });
});

describe("Rate with a clock that steps back", () => {
  it("reads as the start of the interval instead of extrapolating", () => {
    const clock = new FakeClock(10_000);
    const r = rateAt(clock);
    r.observe("k", 4);
    clock.advance(1000);
    r.observe("k", 2);
    clock.set(9_000);
    expect(r.rateWith("k", (c) => c.currentIntervalFraction)).toBe(0);
    expect(r.proportionalRate("k")).toBe(4 + 2);
  });
});
