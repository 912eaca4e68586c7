import { sleep } from "@zp/timeout";
import { describe, expect, it } from "vitest";
import { MemoryCache, MemoryCacheRangeError, isHit } from "../src/index.js";
import { ManualClock } from "./support/manual-clock.js";

function snapshot<V>(r: { value: V | undefined; status: string; staleMs: number }) {
  return { value: r.value, status: r.status, staleMs: r.staleMs };
}

describe("MemoryCache statuses", () => {
  it("misses an absent key and hits after a put without TTL, forever", () => {
    const clock = new ManualClock();
    const cache = new MemoryCache<string, number>(10, { now: clock.now });
    expect(snapshot(cache.get("a"))).toEqual({ value: undefined, status: "miss", staleMs: 0 });
    expect(cache.put("a", 1)).toBe(true);
    clock.advance(1e12);
    expect(snapshot(cache.get("a"))).toEqual({ value: 1, status: "hit", staleMs: 0 });
  });

  it("goes hit → expired at the TTL, and reports how long ago it expired", () => {
    const clock = new ManualClock();
    const cache = new MemoryCache<string, string>(10, { now: clock.now });
    cache.put("k", "v", 100);
    clock.advance(99);
    expect(snapshot(cache.get("k"))).toEqual({ value: "v", status: "hit", staleMs: 0 });
    clock.advance(1);
    expect(snapshot(cache.get("k"))).toEqual({ value: undefined, status: "expired", staleMs: 0 });
    clock.advance(40);
    expect(snapshot(cache.get("k"))).toEqual({ value: undefined, status: "expired", staleMs: 40 });
  });

  it("serves an expired entry as stale within the caller's window, expired beyond it", () => {
    const clock = new ManualClock();
    const cache = new MemoryCache<string, string>(10, { now: clock.now });
    cache.put("k", "v", 100);
    clock.advance(130);
    expect(snapshot(cache.get("k", 50))).toEqual({ value: "v", status: "stale", staleMs: 30 });
    expect(snapshot(cache.get("k", 30))).toEqual({ value: undefined, status: "expired", staleMs: 30 });
    expect(snapshot(cache.get("k"))).toEqual({ value: undefined, status: "expired", staleMs: 30 });
    // a window is no reason to serve a fresh entry as stale
    cache.put("f", "fresh", 100);
    expect(cache.get("f", 1_000).status).toBe("hit");
  });

  it("getStale returns the value however long ago it expired", () => {
    const clock = new ManualClock();
    const cache = new MemoryCache<number, string>(10, { now: clock.now });
    expect(snapshot(cache.getStale(1))).toEqual({ value: undefined, status: "miss", staleMs: 0 });
    cache.put(1, "one", 10);
    expect(snapshot(cache.getStale(1))).toEqual({ value: "one", status: "hit", staleMs: 0 });
    clock.advance(1_000_010);
    expect(snapshot(cache.getStale(1))).toEqual({ value: "one", status: "stale", staleMs: 1_000_000 });
  });

  it("a put refreshes an expired entry, its value and its TTL", () => {
    const clock = new ManualClock();
    const cache = new MemoryCache<string, string>(10, { now: clock.now });
    cache.put("k", "old", 10);
    clock.advance(20);
    expect(cache.get("k").status).toBe("expired");
    cache.put("k", "new", 10);
    expect(snapshot(cache.get("k"))).toEqual({ value: "new", status: "hit", staleMs: 0 });
    cache.put("k", "forever");
    clock.advance(1e9);
    expect(cache.get("k").value).toBe("forever");
    expect(cache.size).toBe(1);
  });

  it("keeps expired entries until replaced, removed or evicted (expiry is lazy)", () => {
    const clock = new ManualClock();
    const cache = new MemoryCache<string, number>(10, { now: clock.now });
    cache.put("a", 1, 5);
    cache.put("b", 2, 5);
    clock.advance(10);
    expect(cache.get("a").status).toBe("expired");
    expect(cache.size).toBe(2);
  });

  it("isHit tells the statuses that carry a cached value", () => {
    expect(["hit", "stale", "lockHit", "miss", "expired"].map((s) => isHit(s as never))).toEqual([true, true, true, false, false]);
  });
});

describe("MemoryCache puts", () => {
  it("stores nothing for a TTL <= 0 and drops what was there", () => {
    const cache = new MemoryCache<string, number>(10, { now: () => 0 });
    cache.put("k", 1);
    expect(cache.put("k", 2, 0)).toBe(false);
    expect(cache.get("k").status).toBe("miss");
    expect(cache.put("n", 3, -5)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it("treats an infinite TTL as no expiry", () => {
    const clock = new ManualClock();
    const cache = new MemoryCache<string, number>(10, { now: clock.now });
    cache.put("k", 1, Number.POSITIVE_INFINITY);
    clock.advance(Number.MAX_SAFE_INTEGER);
    expect(cache.get("k").status).toBe("hit");
  });

  it("rejects a NaN TTL and bad weights with a coded range error, changing nothing", () => {
    const cache = new MemoryCache<string, number>(10, { now: () => 0 });
    cache.put("k", 1);
    for (const put of [() => cache.put("k", 2, Number.NaN), () => cache.put("k", 2, 10, 0), () => cache.put("k", 2, 10, 1.5), () => cache.put("k", 2, 10, 2 ** 32)]) {
      expect(put).toThrow(MemoryCacheRangeError);
      try {
        put();
      } catch (err) {
        expect((err as MemoryCacheRangeError).code).toBe("ZP_MEMORY_CACHE_RANGE");
      }
    }
    expect(snapshot(cache.get("k"))).toEqual({ value: 1, status: "hit", staleMs: 0 });
  });

  it("counts weights against the limit and tracks replacements", () => {
    const cache = new MemoryCache<string, string>(100, { now: () => 0, estimatedSize: 10 });
    cache.put("a", "x", undefined, 30);
    cache.put("b", "y", 50, 20);
    expect([cache.size, cache.weight, cache.totalWeightLimit]).toEqual([2, 50, 100]);
    cache.put("a", "x2", undefined, 10);
    expect([cache.size, cache.weight]).toEqual([2, 30]);
    expect(cache.put("huge", "z", undefined, 101)).toBe(false);
    expect(cache.get("huge").status).toBe("miss");
    expect(cache.weight).toBe(30);
  });

  it("never holds more than the limit; put reports a rejected admission, forcePut overrides it", () => {
    const cache = new MemoryCache<string, number>(1, { now: () => 0, seed: 1 });
    // "popular" is put often, so the sketch ranks it above a newcomer put once
    for (let i = 0; i < 5; i++) cache.put("popular", i);
    expect(cache.put("newcomer", 1)).toBe(false);
    expect(cache.get("newcomer").status).toBe("miss");
    expect(cache.get("popular").value).toBe(4);
    expect(cache.forcePut("newcomer", 2)).toBe(true);
    expect(cache.get("newcomer").value).toBe(2);
    expect(cache.get("popular").status).toBe("miss");
    expect(cache.size).toBe(1);
  });

  it("does not mix up values when evicted entries are reused", () => {
    const cache = new MemoryCache<number, string>(8, { now: () => 0, seed: 3 });
    for (let i = 0; i < 1_000; i++) {
      cache.forcePut(i, `v${i}`);
      expect(cache.get(i).value).toBe(`v${i}`);
      expect(cache.size).toBeLessThanOrEqual(8);
    }
    for (let i = 0; i < 1_000; i++) {
      const { value, status } = cache.get(i);
      if (status === "hit") expect(value).toBe(`v${i}`);
      else expect(status).toBe("miss");
    }
  });

  it("rejects a bad weight limit or estimated size with a coded range error", () => {
    for (const make of [() => new MemoryCache(0), () => new MemoryCache(1.5), () => new MemoryCache(Number.NaN), () => new MemoryCache(10, { estimatedSize: 0 }), () => new MemoryCache(10, { estimatedSize: 2 ** 31 })]) {
      expect(make).toThrow(expect.objectContaining({ code: "ZP_MEMORY_CACHE_RANGE" }));
    }
  });

  it("remove and clear", () => {
    const cache = new MemoryCache<string, number>(10, { now: () => 0 });
    cache.put("a", 1);
    cache.put("b", 2, 100);
    expect(cache.remove("a")).toBe(true);
    expect(cache.remove("a")).toBe(false);
    expect(cache.get("a").status).toBe("miss");
    cache.clear();
    expect([cache.size, cache.weight]).toEqual([0, 0]);
    expect(cache.get("b").status).toBe("miss");
    cache.put("c", 3);
    expect(cache.get("c").value).toBe(3);
  });

  it("reuses one result record for every read (take what you need before the next read)", () => {
    const cache = new MemoryCache<string, number>(10, { now: () => 0 });
    cache.put("a", 1);
    const first = cache.get("a");
    const second = cache.getStale("b");
    expect(second).toBe(first);
    expect(first.status).toBe("miss");
  });
});

describe("MemoryCache default clock", () => {
  it("expires entries in real time", async () => {
    const cache = new MemoryCache<string, number>(10);
    cache.put("k", 1, 30);
    expect(cache.get("k").status).toBe("hit");
    await sleep(80, { ref: true });
    const { status, staleMs } = cache.get("k");
    expect(status).toBe("expired");
    expect(staleMs).toBeGreaterThan(0);
  });
});
