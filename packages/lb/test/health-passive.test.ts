import { describe, expect, it } from "vitest";
import { Backend, LbError, LoadBalancer, type HealthChangeReason, type PassiveHealthOptions } from "@zp/lb";
import { ManualClock } from "./helpers/determinism.js";

const x = Backend.parse("10.0.0.1:80");
const y = Backend.parse("10.0.0.2:80");

function setup(passive: PassiveHealthOptions, random: () => number = () => 0) {
  const clock = new ManualClock();
  const events: Array<[string, boolean, HealthChangeReason, unknown]> = [];
  const lb = LoadBalancer.fromBackends([x, y], {
    passive,
    clock: clock.read,
    random,
    onHealthChange: (b, healthy, reason, cause) => events.push([b.endpoint, healthy, reason, cause]),
  });
  return { lb, clock, events };
}

/** How many of `n` selections go to `backend`. */
function picks(lb: LoadBalancer, backend: Backend, n = 10): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (lb.select()?.equals(backend)) count++;
  return count;
}

const passive = { failureThreshold: 3, baseEjectionMs: 1000, maxEjectionMs: 8000, jitter: 0, trialTimeoutMs: 500 };

describe("passive health", () => {
  it("ejects after N consecutive failures; a success resets the count", () => {
    const { lb, events } = setup(passive);
    const cause = new Error("connect refused");
    lb.reportFailure(x, cause);
    lb.reportFailure(x, cause);
    lb.reportSuccess(x);
    lb.reportFailure(x, cause);
    lb.reportFailure(x, cause);
    expect(lb.ready(x)).toBe(true);
    expect(events).toEqual([]);
    lb.reportFailure(x, cause);
    expect(lb.ready(x)).toBe(false);
    expect(lb.health(x)).toEqual({ healthy: true, enabled: true, ejected: true, ready: false });
    expect(events).toEqual([["10.0.0.1:80", false, "passive_ejection", cause]]);
    expect(picks(lb, x)).toBe(0);
    expect(picks(lb, y)).toBe(10);
  });

  it("comes back half-open: exactly one trial, success restores it", () => {
    const { lb, clock, events } = setup(passive);
    for (let i = 0; i < 3; i++) lb.reportFailure(x);
    clock.advance(999);
    expect(picks(lb, x)).toBe(0);
    clock.advance(1);
    // One trial request, then nothing until it is reported.
    expect(picks(lb, x, 20)).toBe(1);
    lb.reportSuccess(x);
    expect(events.map((e) => e.slice(0, 3))).toEqual([
      ["10.0.0.1:80", false, "passive_ejection"],
      ["10.0.0.1:80", true, "passive_recovery"],
    ]);
    expect(picks(lb, x, 20)).toBe(10);
    // The next ejection starts from the base again.
    for (let i = 0; i < 3; i++) lb.reportFailure(x);
    clock.advance(1000);
    expect(lb.ready(x)).toBe(true);
  });

  it("a failed trial ejects again for twice as long, up to the maximum", () => {
    const { lb, clock, events } = setup(passive);
    for (let i = 0; i < 3; i++) lb.reportFailure(x);
    const lengths: number[] = [];
    for (let round = 0; round < 5; round++) {
      let waited = 0;
      while (!lb.ready(x)) {
        clock.advance(1);
        waited++;
      }
      lengths.push(waited);
      // The trial goes to x, and fails.
      expect(picks(lb, x, 4)).toBe(1);
      lb.reportFailure(x);
    }
    expect(lengths).toEqual([1000, 2000, 4000, 8000, 8000]);
    // Only the first ejection changed the health; the rest extended it.
    expect(events).toHaveLength(1);
  });

  it("hands out another trial when the first is not reported within trialTimeoutMs", () => {
    const { lb, clock } = setup(passive);
    for (let i = 0; i < 3; i++) lb.reportFailure(x);
    clock.advance(1000);
    expect(picks(lb, x)).toBe(1);
    clock.advance(499);
    expect(picks(lb, x)).toBe(0);
    clock.advance(1);
    expect(picks(lb, x)).toBe(1);
  });

  it("ignores late reports during an ejection", () => {
    const { lb, clock } = setup(passive);
    for (let i = 0; i < 3; i++) lb.reportFailure(x);
    clock.advance(500);
    lb.reportSuccess(x);
    lb.reportFailure(x);
    expect(lb.ready(x)).toBe(false);
    clock.advance(500);
    expect(lb.ready(x)).toBe(true);
  });

  it("shortens ejections by up to `jitter`", () => {
    const { lb, clock } = setup({ ...passive, jitter: 0.5 }, () => 0.5);
    for (let i = 0; i < 3; i++) lb.reportFailure(x);
    // 1000 × (1 − 0.5 × 0.5) = 750.
    clock.advance(749);
    expect(lb.ready(x)).toBe(false);
    clock.advance(1);
    expect(lb.ready(x)).toBe(true);
  });

  it("does nothing when turned off, and refuses bad options", () => {
    const lb = LoadBalancer.fromBackends([x], { passive: false });
    for (let i = 0; i < 100; i++) lb.reportFailure(x);
    expect(lb.ready(x)).toBe(true);
    expect(() => LoadBalancer.fromBackends([x], { passive: { jitter: 2 } })).toThrow(LbError);
    expect(() => LoadBalancer.fromBackends([x], { passive: { failureThreshold: 0 } })).toThrow(LbError);
    expect(() => LoadBalancer.fromBackends([x], { passive: { baseEjectionMs: 10, maxEjectionMs: 5 } })).toThrow(LbError);
  });

  it("keeps passive state through a reweight (health is per endpoint)", () => {
    const { lb } = setup(passive);
    for (let i = 0; i < 3; i++) lb.reportFailure(x);
    lb.reweight(x, 4);
    expect(lb.ready(Backend.parse("10.0.0.1:80", 4))).toBe(false);
  });
});
