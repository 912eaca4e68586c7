import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundedTtlMap } from "../src/bounded-ttl-map.js";

describe("BoundedTtlMap", () => {
  it("evicts the least recently used entry beyond maxEntries", () => {
    const map = new BoundedTtlMap<string, number>({ maxEntries: 2, ttlMs: 1_000 });
    map.set("a", 1);
    map.set("b", 2);
    expect(map.get("a")).toBe(1); // a is now the most recent
    map.set("c", 3);
    expect(map.get("b")).toBeUndefined();
    expect(map.get("a")).toBe(1);
    expect(map.get("c")).toBe(3);
    expect(map.size).toBe(2);
  });

  it("expires entries after ttlMs", () => {
    let now = 0;
    const map = new BoundedTtlMap<string, string>({ maxEntries: 10, ttlMs: 100, now: () => now });
    map.set("k", "v");
    now = 99;
    expect(map.get("k")).toBe("v");
    now = 100;
    expect(map.get("k")).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it("drops expired entries from the front while setting", () => {
    let now = 0;
    const map = new BoundedTtlMap<number, number>({ maxEntries: 10, ttlMs: 10, now: () => now });
    map.set(1, 1);
    map.set(2, 2);
    now = 50;
    map.set(3, 3);
    expect(map.size).toBe(1);
  });

  it("validates its options", () => {
    expect(() => new BoundedTtlMap({ maxEntries: 0, ttlMs: 1 })).toThrow(RangeError);
    expect(() => new BoundedTtlMap({ maxEntries: 1, ttlMs: 0 })).toThrow(RangeError);
  });

  it("behaves like an LRU model without expiry (property)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), key: fc.integer({ min: 0, max: 7 }), value: fc.integer() }),
      fc.record({ kind: fc.constant("get" as const), key: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 7 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
        const map = new BoundedTtlMap<number, number>({ maxEntries: max, ttlMs: 1_000, now: () => 0 });
        const model: Array<[number, number]> = []; // least recent first
        for (const o of ops) {
          const at = model.findIndex(([k]) => k === o.key);
          if (o.kind === "set") {
            if (at >= 0) model.splice(at, 1);
            model.push([o.key, o.value]);
            if (model.length > max) model.shift();
            map.set(o.key, o.value);
          } else if (o.kind === "get") {
            const expected = at >= 0 ? model[at]![1] : undefined;
            if (at >= 0) model.push(...model.splice(at, 1));
            expect(map.get(o.key)).toBe(expected);
          } else {
            if (at >= 0) model.splice(at, 1);
            expect(map.delete(o.key)).toBe(at >= 0);
          }
          expect(map.size).toBe(model.length);
        }
      }),
    );
  });
});
