// MemoryCache against a Map + expiry model, with a cache large enough never to evict
// (TinyUFO only rejects or evicts when the weight limit is reached). TTLs, steps of the
// clock and stale windows come from small sets, so reads land exactly on the boundaries.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryCache } from "../src/index.js";
import { ManualClock } from "./support/manual-clock.js";

interface ModelEntry {
  value: number;
  expiresAt: number;
  weight: number;
}

type Op =
  | { op: "put"; key: string; value: number; ttl: number | undefined; weight: number }
  | { op: "get"; key: string; window: number }
  | { op: "getStale"; key: string }
  | { op: "remove"; key: string }
  | { op: "advance"; ms: number }
  | { op: "clear" };

const key = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h");
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("put" as const), key, value: fc.integer(), ttl: fc.option(fc.constantFrom(-1, 0, 1, 5, 10, 20, 50), { nil: undefined }), weight: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("get" as const), key, window: fc.constantFrom(0, 1, 10, 50) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("getStale" as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), key }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(0, 1, 5, 10, 25) }) },
  { weight: 1, arbitrary: fc.constant({ op: "clear" as const }) },
);

/** What the model says a read with this stale window returns. */
function modelRead(entry: ModelEntry | undefined, now: number, window: number) {
  if (entry === undefined) return { value: undefined, status: "miss", staleMs: 0 };
  const staleMs = now - entry.expiresAt;
  if (staleMs < 0) return { value: entry.value, status: "hit", staleMs: 0 };
  return staleMs < window ? { value: entry.value, status: "stale", staleMs } : { value: undefined, status: "expired", staleMs };
}

describe("MemoryCache model", () => {
  it("behaves like a Map with lazy expiry while nothing is evicted", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150, size: "max" }), (ops) => {
        const clock = new ManualClock();
        const cache = new MemoryCache<string, number>(1_000, { now: clock.now, estimatedSize: 64 });
        const model = new Map<string, ModelEntry>();
        for (const o of ops) {
          switch (o.op) {
            case "put": {
              const stored = cache.put(o.key, o.value, o.ttl, o.weight);
              if (o.ttl !== undefined && o.ttl <= 0) {
                model.delete(o.key);
                expect(stored).toBe(false);
              } else {
                model.set(o.key, { value: o.value, expiresAt: o.ttl === undefined ? Infinity : clock.time + o.ttl, weight: o.weight });
                expect(stored).toBe(true);
              }
              break;
            }
            case "get": {
              const { value, status, staleMs } = cache.get(o.key, o.window);
              expect({ value, status, staleMs }).toEqual(modelRead(model.get(o.key), clock.time, o.window));
              break;
            }
            case "getStale": {
              const { value, status, staleMs } = cache.getStale(o.key);
              expect({ value, status, staleMs }).toEqual(modelRead(model.get(o.key), clock.time, Infinity));
              break;
            }
            case "remove":
              expect(cache.remove(o.key)).toBe(model.delete(o.key));
              break;
            case "advance":
              clock.advance(o.ms);
              break;
            case "clear":
              cache.clear();
              model.clear();
              break;
          }
          expect(cache.size).toBe(model.size);
          let weight = 0;
          for (const e of model.values()) weight += e.weight;
          expect(cache.weight).toBe(weight);
        }
      }),
      { numRuns: 300 },
    );
  });
});
