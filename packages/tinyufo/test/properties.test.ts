import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TinyUfo } from "../src/index.js";
import { ReferenceTinyUfo } from "./support/reference-tiny-ufo.js";

type Op =
  | { kind: "get"; key: number }
  | { kind: "put" | "forcePut"; key: number; weight: number }
  | { kind: "remove"; key: number };

const keyArb = fc.integer({ min: 0, max: 24 });
const opArb = (maxWeight: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("get" as const), key: keyArb }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("put" as const), key: keyArb, weight: fc.integer({ min: 1, max: maxWeight }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("forcePut" as const), key: keyArb, weight: fc.integer({ min: 1, max: maxWeight }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), key: keyArb }) },
  );

const scenarioArb = fc.record({
  limit: fc.integer({ min: 1, max: 30 }),
  estimated: fc.integer({ min: 1, max: 40 }),
  seed: fc.integer(),
  ops: fc.array(opArb(8), { maxLength: 300 }),
});

describe("TinyUfo properties", () => {
  it("behaves exactly like the plain reference implementation", () => {
    fc.assert(
      fc.property(scenarioArb, ({ limit, estimated, seed, ops }) => {
        const cache = new TinyUfo<number, number>(limit, estimated, { seed });
        const model = new ReferenceTinyUfo(limit, estimated, seed);
        let step = 0;
        for (const op of ops) {
          step++;
          if (op.kind === "get") {
            expect(cache.get(op.key)).toBe(model.get(op.key));
          } else if (op.kind === "remove") {
            expect(cache.remove(op.key)).toBe(model.remove(op.key));
          } else {
            const data = step;
            const got = op.kind === "put" ? cache.put(op.key, data, op.weight) : cache.forcePut(op.key, data, op.weight);
            expect(got).toEqual(model.put(op.key, data, op.weight, op.kind === "forcePut"));
          }
          expect(cache.weight).toBe(model.smallWeight + model.mainWeight);
          expect(cache.size).toBe(model.items.size);
        }
        for (let key = 0; key <= 24; key++) expect(cache.queueOf(key)).toBe(model.queueOf(key));
      }),
      { numRuns: 300 },
    );
  });

  it("never holds more than the weight limit once put returns", () => {
    fc.assert(
      fc.property(scenarioArb, ({ limit, estimated, seed, ops }) => {
        const cache = new TinyUfo<number, number>(limit, estimated, { seed });
        for (const op of ops) {
          if (op.kind === "get") cache.get(op.key);
          else if (op.kind === "remove") cache.remove(op.key);
          else if (op.kind === "put") cache.put(op.key, 0, op.weight);
          else cache.forcePut(op.key, 0, op.weight);
          expect(cache.weight).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });

  it("returns what put admitted, and what put evicted is gone", () => {
    fc.assert(
      fc.property(scenarioArb, ({ limit, estimated, seed, ops }) => {
        const cache = new TinyUfo<number, string>(limit, estimated, { seed });
        for (const op of ops) {
          if (op.kind !== "put" && op.kind !== "forcePut") continue;
          const value = `v${op.key}/${op.weight}`;
          const wasCached = cache.has(op.key);
          const evicted = op.kind === "put" ? cache.put(op.key, value, op.weight) : cache.forcePut(op.key, value, op.weight);
          const rejected = evicted.some((e) => e.key === op.key && e.data === value);
          if (!rejected) expect(cache.peek(op.key)).toBe(value);
          for (const e of evicted) {
            if (e.key !== op.key) expect(cache.has(e.key)).toBe(false);
          }
          // forcePut always stores a new item that fits
          if (op.kind === "forcePut" && !wasCached && op.weight <= limit) expect(rejected).toBe(false);
        }
      }),
    );
  });

  it("remove removes", () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(keyArb), ({ limit, estimated, seed, ops }, toRemove) => {
        const cache = new TinyUfo<number, number>(limit, estimated, { seed });
        for (const op of ops) if (op.kind === "put") cache.put(op.key, op.key, op.weight);
        for (const key of toRemove) {
          const before = cache.peek(key);
          const weightBefore = cache.weight;
          expect(cache.remove(key)).toBe(before);
          expect(cache.has(key)).toBe(false);
          expect(cache.get(key)).toBeUndefined();
          if (before === undefined) expect(cache.weight).toBe(weightBefore);
          else expect(cache.weight).toBeLessThan(weightBefore);
        }
      }),
    );
  });
});
