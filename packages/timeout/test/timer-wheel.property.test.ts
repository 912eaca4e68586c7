import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimerWheel, turnNow } from "../src/index.js";

type Op = { kind: "arm"; ms: number; precise: boolean } | { kind: "cancel"; index: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("arm" as const), ms: fc.integer({ min: -5, max: 40 }), precise: fc.boolean() }),
  fc.record({ kind: fc.constant("cancel" as const), index: fc.nat({ max: 60 }) }),
);

describe("TimerWheel against a model", () => {
  it("fires exactly the timers not cancelled, each no earlier than asked", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 20 }), async (ops, resolutionMs) => {
        const wheel = new TimerWheel({ resolutionMs, initialCapacity: 2 });
        const handles: number[] = [];
        const armedAt: number[] = [];
        const requested: number[] = [];
        const expected = new Set<number>();
        const firedEarly: number[] = [];
        const fired: number[] = [];
        const onFire = (id: number): void => {
          fired.push(id);
          if (performance.now() - armedAt[id]! < Math.max(requested[id]!, 0)) firedEarly.push(id);
        };
        for (const o of ops) {
          if (o.kind === "arm") {
            const id = handles.length;
            // what each measures from: the turn's time for arm, the call for armPrecise
            armedAt.push(o.precise ? performance.now() : turnNow());
            requested.push(o.ms);
            handles.push(o.precise ? wheel.armPrecise(o.ms, onFire, id) : wheel.arm(o.ms, onFire, id));
            expected.add(id);
          } else if (handles.length > 0) {
            const id = o.index % handles.length;
            expect(wheel.cancel(handles[id]!)).toBe(expected.delete(id));
          }
        }
        expect(wheel.activeTimers).toBe(expected.size);
        await new Promise((resolve) => setTimeout(resolve, 40 + 2 * resolutionMs + 80));
        expect(firedEarly).toEqual([]);
        expect([...fired].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
        expect(wheel.activeTimers).toBe(0);
        expect(wheel.pendingBuckets).toBe(0);
      }),
      { numRuns: 25 },
    );
  });
});
