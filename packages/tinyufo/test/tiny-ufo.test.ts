import { describe, expect, it } from "vitest";
import { MAX_ITEM_WEIGHT, TinyUfo, TinyUfoRangeError } from "../src/index.js";

describe("TinyUfo", () => {
  it("stores and reads string and number keys separately", () => {
    const cache = new TinyUfo<string | number, string>(10, 10, { seed: 1 });
    expect(cache.put("1", "string one")).toEqual([]);
    expect(cache.put(1, "number one")).toEqual([]);
    expect(cache.get("1")).toBe("string one");
    expect(cache.get(1)).toBe("number one");
    expect(cache.get(-0 as number)).toBeUndefined();
    cache.put(0, "zero");
    expect(cache.get(-0)).toBe("zero");
    expect(cache.size).toBe(3);
    expect(cache.weight).toBe(3);
  });

  it("caps uses at 3: ten reads buy no more second chances than three", () => {
    const cache = new TinyUfo<string, number>(3, 3, { seed: 1 }); // small queue limit 1
    cache.put("a", 1);
    cache.put("z", 2);
    cache.put("c", 3);
    for (let i = 0; i < 10; i++) cache.get("a");
    for (let i = 0; i < 3; i++) cache.get("z");
    for (let i = 0; i < 2; i++) cache.get("c");
    // all three move to main; the second-chance passes wear c out first
    expect(cache.forcePut("d", 4).map((e) => e.key)).toEqual(["c"]);
    expect(cache.queueOf("a")).toBe("main");
    expect(cache.queueOf("z")).toBe("main");
    cache.remove("d");
    // a and z both ran out of uses; a is older, so it goes (uncapped, z would have)
    expect(cache.forcePut("x", 5, 2).map((e) => e.key)).toEqual(["a"]);
    expect(cache.queueOf("z")).toBe("main");
  });

  it("peek and has do not count as uses", () => {
    const cache = new TinyUfo<number, number>(5, 5, { seed: 2024 });
    cache.put(1, 1, 1);
    cache.put(2, 2, 2);
    cache.put(3, 3, 2);
    for (let i = 0; i < 5; i++) {
      expect(cache.peek(1)).toBe(1);
      expect(cache.has(1)).toBe(true);
    }
    // 1 was never read, so it is evicted from small instead of moving to main
    expect(cache.put(4, 4, 1).map((e) => e.key)).toEqual([1]);
  });

  it("updates value and weight in place on a re-put, evicting if it grew", () => {
    const cache = new TinyUfo<string, string>(10, 10, { seed: 3 });
    cache.put("a", "a1", 3);
    cache.put("b", "b1", 3);
    expect(cache.put("a", "a2", 1)).toEqual([]);
    expect(cache.weight).toBe(4);
    expect(cache.get("a")).toBe("a2");
    cache.put("c", "c1", 3);
    const evicted = cache.put("b", "b2", 9);
    expect(cache.weight).toBeLessThanOrEqual(10);
    expect(evicted.length).toBeGreaterThan(0);
    expect(evicted.reduce((sum, e) => sum + e.weight, 0) + cache.weight).toBe(1 + 9 + 3);
  });

  it("never stores an item heavier than the whole cache", () => {
    const cache = new TinyUfo<string, string>(10, 10, { seed: 3 });
    cache.put("a", "small", 2);
    cache.put("b", "other", 2);
    expect(cache.put("a", "huge", 11)).toEqual([{ key: "a", data: "huge", weight: 11 }]);
    expect(cache.has("a")).toBe(false);
    expect(cache.get("b")).toBe("other");
    expect(cache.weight).toBe(2);
    expect(cache.forcePut("c", "huge", 11)).toEqual([{ key: "c", data: "huge", weight: 11 }]);
    expect(cache.put("d", "fits", 10).map((e) => e.key)).toEqual(["b"]);
  });

  it("grows past its initial slot capacity and reuses freed slots", () => {
    const cache = new TinyUfo<number, number>(50_000, 1, { seed: 4 });
    for (let k = 0; k < 50_000; k++) expect(cache.forcePut(k, k * 2)).toEqual([]);
    expect(cache.size).toBe(50_000);
    for (let k = 0; k < 50_000; k += 997) expect(cache.get(k)).toBe(k * 2);
    for (let k = 0; k < 50_000; k += 2) cache.remove(k);
    expect(cache.size).toBe(25_000);
    for (let k = 0; k < 25_000; k++) cache.forcePut(-k - 1, k);
    expect(cache.size).toBe(50_000);
    expect(cache.get(1)).toBe(2);
    expect(cache.get(-25_000)).toBe(24_999);
  });

  it("clear empties the cache", () => {
    const cache = new TinyUfo<number, number>(4, 4, { seed: 5 });
    for (let k = 0; k < 4; k++) cache.put(k, k);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.weight).toBe(0);
    expect(cache.get(1)).toBeUndefined();
    for (let k = 10; k < 14; k++) expect(cache.put(k, k)).toEqual([]);
    expect(cache.get(13)).toBe(13);
  });

  it("has a compact variant and works with a random seed", () => {
    const compact = TinyUfo.compact<string, number>(100, 10_000, 1);
    const random = new TinyUfo<string, number>(100, 100);
    for (let i = 0; i < 1000; i++) {
      compact.put(`k${i % 150}`, i);
      random.put(`k${i % 150}`, i);
    }
    expect(compact.weight).toBeLessThanOrEqual(100);
    expect(random.weight).toBeLessThanOrEqual(100);
    expect(compact.size).toBeGreaterThan(50);
  });

  it("rejects bad limits and weights with a coded RangeError", () => {
    const cache = new TinyUfo<number, number>(10, 10);
    for (const weight of [0, -1, 1.5, Number.NaN, MAX_ITEM_WEIGHT + 1]) {
      const attempt = () => cache.put(1, 1, weight);
      expect(attempt).toThrow(TinyUfoRangeError);
      try {
        attempt();
      } catch (err) {
        expect(err).toBeInstanceOf(RangeError);
        expect((err as TinyUfoRangeError).code).toBe("ZP_TINYUFO_RANGE");
      }
    }
    expect(cache.size).toBe(0);
    expect(() => new TinyUfo(0, 10)).toThrow(TinyUfoRangeError);
    expect(() => new TinyUfo(10, 0)).toThrow(TinyUfoRangeError);
    expect(() => new TinyUfo(10.5, 10)).toThrow(TinyUfoRangeError);
  });
});
