import { describe, expect, it } from "vitest";
import { ShardedLru } from "../src/index.js";

describe("ShardedLru", () => {
  it("splits limit, watermark and capacity among its shards", () => {
    const lru = new ShardedLru<string, number>({ shards: 4, limit: 10, watermark: 7, capacity: 64 });
    expect(lru.shardCount).toBe(4);
    expect([0, 1, 2, 3].map((i) => lru.shard(i).limit)).toEqual([3, 3, 2, 2]);
    expect([0, 1, 2, 3].map((i) => lru.shard(i).watermark)).toEqual([2, 2, 2, 1]);
    expect(lru.shard(0).capacity).toBe(16);
    expect(lru.limit).toBe(10);
    expect(lru.watermark).toBe(7);
    expect(() => lru.shard(4)).toThrow(RangeError);
    const unbounded = new ShardedLru<string, number>({ shards: 3 });
    expect(unbounded.shard(2).limit).toBe(Infinity);
  });

  it("routes every operation to the key's shard", () => {
    const lru = new ShardedLru<string, number>({ shards: 8 });
    for (let i = 0; i < 100; i++) lru.admit(`k${i}`, i, 2);
    expect(lru.len).toBe(100);
    expect(lru.weight).toBe(200);
    for (let i = 0; i < 100; i++) {
      const shard = lru.shard(lru.shardOf(`k${i}`));
      expect(shard.peek(`k${i}`)).toBe(i);
      expect(lru.get(`k${i}`)).toBe(i);
      expect(shard.keys().next().value).toBe(`k${i}`); // get promoted it within its shard
    }
    expect(lru.remove("k5")).toEqual({ key: "k5", value: 5, weight: 2 });
    expect(lru.has("k5")).toBe(false);
    expect(lru.delete("k6")).toBe(true);
    expect(lru.promote("k7")).toBe(true);
    expect(lru.promoteTopN("k8", 1)).toBe(true);
    expect(lru.weightOf("k9")).toBe(2);
    expect(lru.insertTail("k9", 0)).toBe(false);
    expect(lru.len).toBe(98);
    expect(new Set(lru.keys()).size).toBe(98);
    expect([...lru.values()].length).toBe(98);
    lru.clear();
    expect(lru.len).toBe(0);
    expect([...lru]).toEqual([]);
  });

  it("spreads string and number keys over the shards", () => {
    const lru = new ShardedLru<string | number, number>({ shards: 16 });
    const strings = new Array<number>(16).fill(0);
    const numbers = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) {
      strings[lru.shardOf(`/assets/img/${i}.png`)]!++;
      numbers[lru.shardOf(i)]!++;
    }
    for (const counts of [strings, numbers]) {
      for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    }
  });

  it("set evicts within the key's shard to keep it under its share", () => {
    const evicted: number[] = [];
    const lru = new ShardedLru<number, number>({ shards: 4, limit: 400, onEvict: (k) => evicted.push(k) });
    for (let i = 0; i < 10_000; i++) lru.set(i, i);
    expect(lru.len).toBe(400);
    for (let s = 0; s < 4; s++) expect(lru.shard(s).len).toBe(100);
    expect(evicted.length).toBe(9600);
    expect(lru.overLimit).toBe(false);
    expect(lru.has(9999)).toBe(true);
  });

  it("evictToLimit brings every shard within its share, evictOne takes from the heaviest", () => {
    const lru = new ShardedLru<number, number>({ shards: 2, limit: 4, hash: (k) => k % 2 });
    for (const k of [0, 2, 4, 6, 1]) lru.admit(k, k * 10);
    expect(lru.overLimit).toBe(true);
    expect(lru.evictToLimit()).toEqual([{ key: 0, value: 0, weight: 1 }, { key: 2, value: 20, weight: 1 }]);
    expect(lru.overLimit).toBe(false);
    expect(lru.evictOne()).toEqual({ key: 4, value: 40, weight: 1 }); // shard 0 weighs 2, shard 1 weighs 1
    expect(lru.evictOne()).toEqual({ key: 6, value: 60, weight: 1 }); // tie: the first shard
    expect(lru.evictOne()).toEqual({ key: 1, value: 10, weight: 1 });
    expect(lru.evictOne()).toBeUndefined();
  });

  it("takes a custom hash for other key types, negative results included", () => {
    const lru = new ShardedLru<{ id: number }, string>({ shards: 3, hash: (k) => -k.id });
    const a = { id: 5 };
    lru.set(a, "a");
    expect(lru.shardOf(a)).toBe((-5 >>> 0) % 3);
    expect(lru.get(a)).toBe("a");
  });

  it("admit returns the total weight of all shards", () => {
    const lru = new ShardedLru<number, number>({ shards: 4 });
    expect(lru.admit(1, 1, 5)).toBe(5);
    expect(lru.admit(2, 2, 7)).toBe(12);
    expect(lru.admit(1, 1, 1)).toBe(8);
  });

  it("rejects a bad shard count", () => {
    for (const shards of [0, 1.5, -1, 100_000]) {
      expect(() => new ShardedLru({ shards })).toThrow(expect.objectContaining({ code: "ZP_LRU_INVALID_OPTION" }));
    }
  });
});
