import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Lru, ShardedLru, type Evicted } from "../src/index.js";
import { ReferenceLru, ShardedReferenceLru } from "./reference-lru.js";

/** One operation of a random sequence; keys come from a small set so they collide often. */
type Op =
  | { op: "admit" | "set" | "insertTail"; key: number; value: number; weight: number }
  | { op: "get" | "peek" | "promote" | "remove" | "delete" | "has" | "weightOf"; key: number }
  | { op: "promoteTopN"; key: number; n: number }
  | { op: "evictToLimit" | "evictOne" | "clear" };

const key = fc.integer({ min: 0, max: 11 });
const opArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom("admit", "set", "insertTail"), key, value: fc.integer(), weight: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom("get", "peek", "promote", "remove", "delete", "has", "weightOf"), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("promoteTopN"), key, n: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("evictToLimit", "evictOne", "clear") }) },
) as fc.Arbitrary<Op>;

const limits = fc.record({
  limit: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 15 })),
  watermark: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 8 })),
  capacity: fc.integer({ min: 1, max: 4 }),
});

type Target = Lru<number, number> | ShardedLru<number, number>;
type Model = ReferenceLru<number, number> | ShardedReferenceLru<number, number>;

/**
 * Applies `op` to both and checks that they answer alike and hold the same entries in
 * the same order. `evicted` collects what the target's onEvict reports; `rankOf` gives
 * a key's position in the target's list (its shard's list for a ShardedLru).
 */
function step(target: Target, model: Model, op: Op, evicted: Evicted<number, number>[], rankOf: (key: number) => number): void {
  switch (op.op) {
    case "admit":
      expect(target.admit(op.key, op.value, op.weight)).toBe(model.admit(op.key, op.value, op.weight));
      break;
    case "set": {
      evicted.length = 0;
      const stored = target.set(op.key, op.value, op.weight);
      const expected = model.set(op.key, op.value, op.weight);
      expect(stored).toBe(expected.stored);
      expect(evicted).toEqual(expected.evicted);
      break;
    }
    case "insertTail":
      expect(target.insertTail(op.key, op.value, op.weight)).toBe(model.insertTail(op.key, op.value, op.weight));
      break;
    case "get":
      expect(target.get(op.key)).toBe(model.get(op.key));
      break;
    case "peek":
      expect(target.peek(op.key)).toBe(model.peek(op.key));
      break;
    case "has":
      expect(target.has(op.key)).toBe(model.rankOf(op.key) >= 0);
      break;
    case "weightOf":
      expect(target.weightOf(op.key)).toBe(model.entries.find((e) => e.key === op.key)?.weight);
      break;
    case "promote":
      expect(target.promote(op.key)).toBe(model.promote(op.key));
      break;
    case "promoteTopN": {
      // The contract, not the O(1) heuristic: nothing else moves, and the entry ends
      // within the top n (n >= 1), either where it was or at the head.
      const before = model.rankOf(op.key);
      expect(target.promoteTopN(op.key, op.n)).toBe(before >= 0);
      if (before < 0) break;
      const after = rankOf(op.key);
      if (after !== before) {
        expect(after).toBe(0);
        model.promote(op.key);
      }
      if (op.n >= 1) expect(after).toBeLessThan(op.n);
      break;
    }
    case "remove":
      expect(target.remove(op.key)).toEqual(model.remove(op.key));
      break;
    case "delete":
      expect(target.delete(op.key)).toBe(model.remove(op.key) !== undefined);
      break;
    case "evictToLimit":
      expect(target.evictToLimit()).toEqual(model.evictToLimit());
      break;
    case "evictOne":
      expect(target.evictOne()).toEqual(model.evictOne());
      break;
    case "clear":
      target.clear();
      model.clear();
      break;
  }
  expect([...target.entries()]).toEqual(model.entries.map((e) => [e.key, e.value]));
  expect(target.len).toBe(model.len);
  expect(target.weight).toBe(model.weight);
  expect(target.overLimit).toBe(model.overLimit);
}

describe("Lru against a reference model", () => {
  it("behaves like an ordered list over random operation sequences", () => {
    fc.assert(
      fc.property(limits, fc.array(opArb, { maxLength: 120 }), (options, ops) => {
        const evicted: Evicted<number, number>[] = [];
        const lru = new Lru<number, number>({ ...options, onEvict: (k, v, w) => evicted.push({ key: k, value: v, weight: w }) });
        const model = new ReferenceLru<number, number>(options.limit, options.watermark);
        const rankOf = (k: number): number => [...lru.keys()].indexOf(k);
        for (const op of ops) {
          step(lru, model, op, evicted, rankOf);
          expect(lru.peekTail()).toBe(model.entries.at(-1)?.key);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("keeps each shard of a ShardedLru like its own reference model", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), limits, fc.array(opArb, { maxLength: 120 }), (shards, options, ops) => {
        const evicted: Evicted<number, number>[] = [];
        const sharded = new ShardedLru<number, number>({ ...options, shards, onEvict: (k, v, w) => evicted.push({ key: k, value: v, weight: w }) });
        const lists = Array.from({ length: shards }, (_, i) => new ReferenceLru<number, number>(sharded.shard(i).limit, sharded.shard(i).watermark));
        const model = new ShardedReferenceLru(lists, (k: number) => sharded.shardOf(k));
        const rankOf = (k: number): number => [...sharded.shard(sharded.shardOf(k)).keys()].indexOf(k);
        for (const op of ops) step(sharded, model, op, evicted, rankOf);
      }),
      { numRuns: 300 },
    );
  });
});
