import { describe, expect, it } from "vitest";
import { Lru, LruError } from "../src/index.js";

const keysOf = <K, V>(lru: Lru<K, V>): K[] => [...lru.keys()];

describe("Lru admit", () => {
  it("inserts at the head and returns the new total weight", () => {
    const lru = new Lru<string, number>();
    expect(lru.admit("a", 1, 3)).toBe(3);
    expect(lru.admit("b", 2, 4)).toBe(7);
    expect(lru.admit("c", 3)).toBe(8); // default weight 1
    expect(keysOf(lru)).toEqual(["c", "b", "a"]);
    expect(lru.len).toBe(3);
    expect(lru.weight).toBe(8);
  });

  it("updates value and weight of an existing key and moves it to the head", () => {
    const lru = new Lru<string, number>();
    lru.admit("a", 1, 3);
    lru.admit("b", 2, 4);
    expect(lru.admit("a", 10, 1)).toBe(5);
    expect(keysOf(lru)).toEqual(["a", "b"]);
    expect(lru.peek("a")).toBe(10);
    expect(lru.weightOf("a")).toBe(1);
    expect(lru.len).toBe(2);
    expect(lru.admit("a", 11, 9)).toBe(13);
    expect(lru.weight).toBe(13);
  });

  it("never evicts, even over the limit", () => {
    const lru = new Lru<number, number>({ limit: 2, watermark: 1 });
    for (let i = 0; i < 5; i++) lru.admit(i, i, 1);
    expect(lru.len).toBe(5);
    expect(lru.overLimit).toBe(true);
  });

  it("accepts weight 0 and rejects weights that are not integers in [0, 2^32)", () => {
    const lru = new Lru<string, number>({ limit: 0 });
    expect(lru.admit("zero", 0, 0)).toBe(0);
    expect(lru.overLimit).toBe(false);
    expect(lru.evictToLimit()).toEqual([]);
    expect(lru.admit("max", 0, 0xffff_ffff)).toBe(0xffff_ffff);
    for (const bad of [-1, 1.5, Number.NaN, Infinity, 2 ** 32, "1" as unknown as number]) {
      expect(() => lru.admit("bad", 0, bad)).toThrow(LruError);
      expect(() => lru.set("bad", 0, bad)).toThrow(LruError);
      expect(() => lru.insertTail("bad", 0, bad)).toThrow(LruError);
    }
    expect(() => lru.admit("bad", 0, -1)).toThrow(expect.objectContaining({ code: "ZP_LRU_INVALID_WEIGHT", name: "LruError" }));
    expect(lru.has("bad")).toBe(false);
  });
});

describe("Lru get / peek / has / weightOf", () => {
  it("get promotes, peek does not, misses return undefined", () => {
    const lru = new Lru<string, string>();
    lru.admit("a", "A");
    lru.admit("b", "B");
    lru.admit("c", "C");
    expect(lru.peek("a")).toBe("A");
    expect(keysOf(lru)).toEqual(["c", "b", "a"]);
    expect(lru.get("a")).toBe("A");
    expect(keysOf(lru)).toEqual(["a", "c", "b"]);
    expect(lru.get("a")).toBe("A"); // already the head
    expect(keysOf(lru)).toEqual(["a", "c", "b"]);
    expect(lru.get("zz")).toBeUndefined();
    expect(lru.peek("zz")).toBeUndefined();
    expect(lru.weightOf("zz")).toBeUndefined();
    expect(lru.has("b")).toBe(true);
    expect(lru.has("zz")).toBe(false);
  });

  it("distinguishes 0 and -0 the way Map does, and finds NaN", () => {
    const lru = new Lru<number, string>();
    lru.admit(Number.NaN, "nan");
    lru.admit(0, "zero");
    expect(lru.get(Number.NaN)).toBe("nan");
    expect(lru.get(-0)).toBe("zero");
  });
});

describe("Lru promote / promoteTopN", () => {
  it("promote moves to the head and reports presence", () => {
    const lru = new Lru<number, number>();
    for (let i = 0; i < 4; i++) lru.admit(i, i);
    expect(lru.promote(0)).toBe(true);
    expect(keysOf(lru)).toEqual([0, 3, 2, 1]);
    expect(lru.promote(9)).toBe(false);
  });

  it("promoteTopN leaves entries within the top n and promotes the rest", () => {
    const lru = new Lru<number, number>();
    for (let i = 0; i < 6; i++) lru.admit(i, i); // order 5 4 3 2 1 0
    expect(lru.promoteTopN(3, 3)).toBe(true); // rank 2 < 3: stays
    expect(keysOf(lru)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(lru.promoteTopN(2, 3)).toBe(true); // rank 3: promoted
    expect(keysOf(lru)).toEqual([2, 5, 4, 3, 1, 0]);
    expect(lru.promoteTopN(5, 1)).toBe(true); // rank 1 >= 1: promoted
    expect(keysOf(lru)).toEqual([5, 2, 4, 3, 1, 0]);
    expect(lru.promoteTopN(5, 1)).toBe(true); // the head: stays
    expect(keysOf(lru)).toEqual([5, 2, 4, 3, 1, 0]);
    expect(lru.promoteTopN(0, 0)).toBe(true); // n = 0 always promotes
    expect(keysOf(lru)).toEqual([0, 5, 2, 4, 3, 1]);
    expect(lru.promoteTopN(42, 10)).toBe(false);
  });

  it("promoteTopN counts a tail insertion as the last rank", () => {
    const lru = new Lru<number, number>();
    for (let i = 0; i < 3; i++) lru.admit(i, i); // 2 1 0
    lru.insertTail(9, 9); // 2 1 0 9: rank 3
    lru.promoteTopN(9, 4);
    expect(keysOf(lru)).toEqual([2, 1, 0, 9]);
    lru.promoteTopN(9, 3);
    expect(keysOf(lru)).toEqual([9, 2, 1, 0]);
  });

  it("promoteTopN stays exact across the clock's periodic restamp and wrap", () => {
    const lru = new Lru<string, number>();
    for (const k of ["a", "b", "c", "d"]) lru.admit(k, 0); // d c b a
    // Fast-forward the move counter instead of making 2^31 moves: it wraps at 2^31 and
    // every stamp is rewritten each 2^30 moves.
    const internals = lru as unknown as { clock: number };
    internals.clock = 2 ** 30 - 1;
    lru.promote("d"); // crosses 2^30: restamp
    internals.clock = 2 ** 31 - 1;
    lru.promote("d"); // wraps to 0: restamp again
    lru.promoteTopN("b", 3); // rank 2: stays
    expect(keysOf(lru)).toEqual(["d", "c", "b", "a"]);
    lru.promoteTopN("a", 3); // rank 3: moves
    expect(keysOf(lru)).toEqual(["a", "d", "c", "b"]);
    lru.promoteTopN("c", 3); // rank 2: stays
    expect(keysOf(lru)).toEqual(["a", "d", "c", "b"]);
  });

  it("promoteTopN always ends with the entry within the top n", () => {
    const lru = new Lru<number, number>();
    for (let i = 0; i < 10; i++) lru.admit(i, i);
    for (let i = 9; i >= 5; i--) lru.delete(i); // 4 3 2 1 0, entries ahead removed
    lru.promoteTopN(0, 2);
    expect(keysOf(lru).indexOf(0)).toBeLessThan(2);
  });
});

describe("Lru insertTail", () => {
  it("inserts at the least recent end and refuses present keys", () => {
    const lru = new Lru<string, number>({ limit: 2 });
    lru.admit("a", 1);
    lru.admit("b", 2);
    expect(lru.insertTail("t", 3, 1)).toBe(true);
    expect(keysOf(lru)).toEqual(["b", "a", "t"]);
    expect(lru.peekTail()).toBe("t");
    expect(lru.insertTail("a", 99, 5)).toBe(false);
    expect(lru.peek("a")).toBe(1);
    expect(lru.weight).toBe(3);
    expect(lru.evictToLimit()).toEqual([{ key: "t", value: 3, weight: 1 }]);
  });

  it("works on an empty LRU", () => {
    const lru = new Lru<string, number>();
    expect(lru.insertTail("x", 1)).toBe(true);
    expect(keysOf(lru)).toEqual(["x"]);
    expect(lru.get("x")).toBe(1);
  });
});

describe("Lru remove / delete", () => {
  const build = (): Lru<string, number> => {
    const lru = new Lru<string, number>();
    lru.admit("a", 1, 1);
    lru.admit("b", 2, 2);
    lru.admit("c", 3, 3); // c b a
    return lru;
  };

  it("removes the head", () => {
    const lru = build();
    expect(lru.remove("c")).toEqual({ key: "c", value: 3, weight: 3 });
    expect(keysOf(lru)).toEqual(["b", "a"]);
    expect(lru.weight).toBe(3);
  });

  it("removes the tail", () => {
    const lru = build();
    expect(lru.remove("a")).toEqual({ key: "a", value: 1, weight: 1 });
    expect(keysOf(lru)).toEqual(["c", "b"]);
    expect(lru.peekTail()).toBe("b");
  });

  it("removes the middle", () => {
    const lru = build();
    expect(lru.remove("b")).toEqual({ key: "b", value: 2, weight: 2 });
    expect(keysOf(lru)).toEqual(["c", "a"]);
    expect(lru.weight).toBe(4);
  });

  it("removes the only entry and misses absent keys", () => {
    const lru = new Lru<string, number>();
    lru.admit("x", 1, 7);
    expect(lru.remove("nope")).toBeUndefined();
    expect(lru.delete("nope")).toBe(false);
    expect(lru.delete("x")).toBe(true);
    expect(lru.len).toBe(0);
    expect(lru.weight).toBe(0);
    expect(keysOf(lru)).toEqual([]);
    expect(lru.peekTail()).toBeUndefined();
  });
});

describe("Lru eviction", () => {
  it("evictToLimit evicts exactly down to the limit, least recent first", () => {
    const lru = new Lru<string, number>({ limit: 10 });
    lru.admit("a", 1, 4);
    lru.admit("b", 2, 3);
    lru.admit("c", 3, 3); // weight 10: exactly at the limit
    expect(lru.overLimit).toBe(false);
    expect(lru.evictToLimit()).toEqual([]);
    lru.admit("d", 4, 4); // 14
    expect(lru.evictToLimit()).toEqual([{ key: "a", value: 1, weight: 4 }]);
    expect(lru.weight).toBe(10);
    lru.admit("e", 5, 5); // 15: must evict b (3) and c (3) to reach 9
    expect(lru.evictToLimit().map((e) => e.key)).toEqual(["b", "c"]);
    expect(lru.weight).toBe(9);
    expect(keysOf(lru)).toEqual(["e", "d"]);
  });

  it("evicts by the length watermark even under the weight limit", () => {
    const lru = new Lru<number, number>({ limit: 100, watermark: 3 });
    for (let i = 0; i < 5; i++) lru.admit(i, i, 1);
    expect(lru.evictToLimit().map((e) => e.key)).toEqual([0, 1]);
    expect(keysOf(lru)).toEqual([4, 3, 2]);
    for (let i = 5; i < 8; i++) expect(lru.set(i, i)).toBe(true);
    expect(keysOf(lru)).toEqual([7, 6, 5]);
  });

  it("evicts everything, the new entry included, when it alone is over the limit", () => {
    const lru = new Lru<string, number>({ limit: 5 });
    lru.admit("a", 1, 2);
    lru.admit("big", 2, 6);
    expect(lru.evictToLimit().map((e) => e.key)).toEqual(["a", "big"]);
    expect(lru.len).toBe(0);
  });

  it("evictOne takes the tail whatever the limits", () => {
    const lru = new Lru<string, number>();
    expect(lru.evictOne()).toBeUndefined();
    lru.admit("a", 1, 2);
    lru.admit("b", 2, 3);
    expect(lru.evictOne()).toEqual({ key: "a", value: 1, weight: 2 });
    expect(lru.evictOne()).toEqual({ key: "b", value: 2, weight: 3 });
    expect(lru.evictOne()).toBeUndefined();
    expect(lru.weight).toBe(0);
  });
});

describe("Lru set", () => {
  it("evicts automatically, reports to onEvict and never evicts the entry it set", () => {
    const evicted: [string, number, number][] = [];
    const lru = new Lru<string, number>({ limit: 5, onEvict: (k, v, w) => evicted.push([k, v, w]) });
    expect(lru.set("a", 1, 2)).toBe(true);
    expect(lru.set("b", 2, 2)).toBe(true);
    expect(lru.set("c", 3, 3)).toBe(true); // 7 > 5: a goes
    expect(evicted).toEqual([["a", 1, 2]]);
    expect(lru.set("b", 20, 5)).toBe(true); // update b to weight 5: c goes, b stays
    expect(evicted).toEqual([["a", 1, 2], ["c", 3, 3]]);
    expect(keysOf(lru)).toEqual(["b"]);
    expect(lru.weight).toBe(5);
  });

  it("does not store an entry heavier than the limit and drops the older value", () => {
    const evicted: string[] = [];
    const lru = new Lru<string, number>({ limit: 5, onEvict: (k) => evicted.push(k) });
    lru.set("a", 1, 1);
    lru.set("x", 1, 1);
    expect(lru.set("big", 1, 6)).toBe(false);
    expect(lru.has("big")).toBe(false);
    expect(lru.set("x", 2, 6)).toBe(false);
    expect(lru.has("x")).toBe(false);
    expect(keysOf(lru)).toEqual(["a"]);
    expect(evicted).toEqual([]);
  });

  it("stores nothing with watermark 0 but weight-0 entries under limit 0", () => {
    const none = new Lru<string, number>({ watermark: 0 });
    expect(none.set("a", 1, 0)).toBe(false);
    expect(none.len).toBe(0);
    const zero = new Lru<string, number>({ limit: 0 });
    expect(zero.set("a", 1, 0)).toBe(true);
    expect(zero.set("b", 1, 1)).toBe(false);
    expect(keysOf(zero)).toEqual(["a"]);
  });

  it("counts entries when no weight is given (limit as max length)", () => {
    const lru = new Lru<number, number>({ limit: 3 });
    for (let i = 0; i < 10; i++) lru.set(i, i * 10);
    expect([...lru.entries()]).toEqual([
      [9, 90],
      [8, 80],
      [7, 70],
    ]);
  });

  it("brings an LRU left over the limit by admit back within it", () => {
    const lru = new Lru<number, number>({ limit: 3 });
    for (let i = 0; i < 6; i++) lru.admit(i, i);
    lru.set(1, 1); // update path
    expect(keysOf(lru)).toEqual([1, 5, 4]);
    for (let i = 0; i < 6; i++) lru.admit(10 + i, i);
    lru.set(99, 1); // insert path
    expect(keysOf(lru)).toEqual([99, 15, 14]);
  });
});

describe("Lru slots", () => {
  it("reuses freed slots instead of growing", () => {
    const lru = new Lru<number, number>({ capacity: 4 });
    for (let i = 0; i < 4; i++) lru.admit(i, i);
    lru.delete(1);
    lru.delete(3);
    lru.admit(10, 10);
    lru.admit(11, 11);
    expect(lru.capacity).toBe(4);
    expect(keysOf(lru)).toEqual([11, 10, 2, 0]);
    expect(lru.get(10)).toBe(10);
    const lruCapped = new Lru<number, number>({ capacity: 8, limit: 8 });
    for (let i = 0; i < 10_000; i++) lruCapped.set(i, i);
    expect(lruCapped.capacity).toBe(8);
    expect(keysOf(lruCapped)).toEqual([9999, 9998, 9997, 9996, 9995, 9994, 9993, 9992]);
  });

  it("grows by doubling and keeps order, values and weights", () => {
    const lru = new Lru<number, string>({ capacity: 1 });
    for (let i = 0; i < 1000; i++) lru.admit(i, `v${i}`, i % 7);
    expect(lru.capacity).toBe(1024);
    expect(lru.len).toBe(1000);
    const keys = keysOf(lru);
    expect(keys[0]).toBe(999);
    expect(keys[999]).toBe(0);
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      expect(lru.peek(i)).toBe(`v${i}`);
      expect(lru.weightOf(i)).toBe(i % 7);
      total += i % 7;
    }
    expect(lru.weight).toBe(total);
  });

  it("clear empties the LRU and it can be filled again", () => {
    const lru = new Lru<number, number>({ capacity: 2 });
    for (let i = 0; i < 5; i++) lru.admit(i, i, 2);
    lru.clear();
    expect(lru.len).toBe(0);
    expect(lru.weight).toBe(0);
    expect(keysOf(lru)).toEqual([]);
    expect(lru.get(1)).toBeUndefined();
    lru.admit(7, 7);
    lru.insertTail(8, 8);
    expect(keysOf(lru)).toEqual([7, 8]);
    expect(lru.capacity).toBe(8);
  });
});

describe("Lru iteration", () => {
  it("iterates entries, keys and values from the most to the least recent", () => {
    const lru = new Lru<string, number>();
    lru.admit("a", 1);
    lru.admit("b", 2);
    lru.insertTail("z", 26);
    expect([...lru]).toEqual([
      ["b", 2],
      ["a", 1],
      ["z", 26],
    ]);
    expect([...lru.keys()]).toEqual(["b", "a", "z"]);
    expect([...lru.values()]).toEqual([2, 1, 26]);
  });

  it("allows removing the entry just yielded", () => {
    const lru = new Lru<number, number>();
    for (let i = 0; i < 6; i++) lru.admit(i, i);
    const seen: number[] = [];
    for (const [key] of lru) {
      seen.push(key);
      if (key % 2 === 0) lru.delete(key);
    }
    expect(seen).toEqual([5, 4, 3, 2, 1, 0]);
    expect(keysOf(lru)).toEqual([5, 3, 1]);
  });
});

describe("Lru options", () => {
  it("rejects invalid options with ZP_LRU_INVALID_OPTION", () => {
    const bad = [{ limit: -1 }, { limit: Number.NaN }, { watermark: 1.5 }, { watermark: -2 }, { capacity: 0 }, { capacity: 2.5 }];
    for (const options of bad) {
      expect(() => new Lru(options)).toThrow(expect.objectContaining({ code: "ZP_LRU_INVALID_OPTION" }));
    }
    const lru = new Lru({ limit: Infinity, watermark: Infinity, capacity: 3 });
    expect(lru.limit).toBe(Infinity);
    expect(lru.watermark).toBe(Infinity);
    expect(lru.capacity).toBe(3);
  });
});
