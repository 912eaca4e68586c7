// Pingora's own tinyufo unit tests, reproduced with the same expectations:
// weight limit 5, estimated size 5, a fixed hash seed (as Pingora fixes its hasher
// seeds: with a 16-wide sketch, about 1 seed in 300 makes keys 1..4 collide).
import { describe, expect, it } from "vitest";
import { TinyUfo } from "../src/index.js";

const SEED = 2024;

function filledCache(compact = false): TinyUfo<number, number> {
  const cache = new TinyUfo<number, number>(5, 5, { seed: SEED, compact });
  cache.put(1, 1, 1);
  cache.put(2, 2, 2);
  cache.put(3, 3, 2);
  // cache full now
  expect(cache.queueOf(1)).toBe("small");
  expect(cache.queueOf(2)).toBe("small");
  expect(cache.queueOf(3)).toBe("small");
  expect(cache.weight).toBe(5);
  return cache;
}

describe.each([false, true])("pingora vectors (compact sketch: %s)", (compact) => {
  it("evicts from small (test_evict_from_small)", () => {
    const cache = filledCache(compact);
    const evicted = cache.put(4, 4, 3);
    expect(evicted.map((e) => e.data)).toEqual([1, 2]);
    expect(evicted.map((e) => e.weight)).toEqual([1, 2]);
    expect(cache.queueOf(1)).toBeUndefined();
    expect(cache.queueOf(2)).toBeUndefined();
    expect(cache.queueOf(3)).toBe("small");
    expect(cache.queueOf(4)).toBe("small");
  });

  it("moves an item used twice from small to main (test_evict_from_small_to_main)", () => {
    const cache = filledCache(compact);
    cache.get(1);
    cache.get(1); // 1 will move to main during the next eviction
    expect(cache.queueOf(1)).toBe("small");

    const evicted = cache.put(4, 4, 2);
    expect(evicted).toHaveLength(1);
    expect(evicted[0]!.weight).toBe(2);
    expect(cache.queueOf(1)).toBe("main");
    // either 2, 3 or 4 was evicted
    const remaining = [2, 3, 4].filter((k) => k !== evicted[0]!.data);
    expect(remaining).toHaveLength(2);
    expect(cache.queueOf(evicted[0]!.key)).toBeUndefined();
    for (const k of remaining) expect(cache.queueOf(k)).toBe("small");
  });
});

describe("pingora vectors", () => {
  it("lets an evicted item come back (test_evict_reentry)", () => {
    const cache = filledCache();
    let evicted = cache.put(4, 4, 1);
    expect(evicted.map((e) => e.data)).toEqual([1]);
    expect(cache.queueOf(1)).toBeUndefined();
    expect(cache.queueOf(2)).toBe("small");
    expect(cache.queueOf(3)).toBe("small");
    expect(cache.queueOf(4)).toBe("small");

    evicted = cache.put(1, 1, 1);
    expect(evicted.map((e) => e.data)).toEqual([2]);
    expect(cache.queueOf(1)).toBe("small");
    expect(cache.queueOf(2)).toBeUndefined();
    expect(cache.queueOf(3)).toBe("small");
    expect(cache.queueOf(4)).toBe("small");
  });

  it("rejects a newcomer less popular than its victim (test_evict_entry_denied)", () => {
    const cache = filledCache();
    // putting again bumps their frequencies
    expect(cache.put(1, 1, 1)).toEqual([]);
    expect(cache.put(2, 2, 2)).toEqual([]);
    expect(cache.put(3, 3, 2)).toEqual([]);

    const evicted = cache.put(4, 4, 1);
    expect(evicted).toEqual([{ key: 4, data: 4, weight: 1 }]); // 4 is returned
    expect(cache.queueOf(1)).toBe("small");
    expect(cache.queueOf(2)).toBe("small");
    expect(cache.queueOf(3)).toBe("small");
    expect(cache.queueOf(4)).toBeUndefined();
    expect(cache.weight).toBe(5);
  });

  it("admits anyway with forcePut (test_force_put)", () => {
    const cache = filledCache();
    cache.put(1, 1, 1);
    cache.put(2, 2, 2);
    cache.put(3, 3, 2);

    // 4 replaces 1 even though 1 is more popular
    const evicted = cache.forcePut(4, 4, 1);
    expect(evicted).toEqual([{ key: 1, data: 1, weight: 1 }]);
    expect(cache.queueOf(1)).toBeUndefined();
    expect(cache.queueOf(2)).toBe("small");
    expect(cache.queueOf(3)).toBe("small");
    expect(cache.queueOf(4)).toBe("small");
  });

  it("evicts from main by second chance (test_evict_from_main)", () => {
    const cache = filledCache();
    // all 3 qualify for main
    for (const k of [1, 1, 2, 2, 3, 3]) expect(cache.get(k)).toBe(k);

    let evicted = cache.put(4, 4, 1);
    expect(evicted.map((e) => e.data)).toEqual([1]);
    // 1 kicked from main
    expect(cache.queueOf(1)).toBeUndefined();
    expect(cache.queueOf(2)).toBe("main");
    expect(cache.queueOf(3)).toBe("main");
    expect(cache.queueOf(4)).toBe("small");

    evicted = cache.put(1, 1, 1);
    expect(evicted.map((e) => e.data)).toEqual([4]);
    expect(cache.queueOf(1)).toBe("small");
    expect(cache.queueOf(2)).toBe("main");
    expect(cache.queueOf(3)).toBe("main");
    expect(cache.queueOf(4)).toBeUndefined();
  });

  it("removes items and keeps the weight accounting right (test_remove)", () => {
    const cache = new TinyUfo<number, number>(5, 5, { seed: SEED });
    cache.put(1, 1, 1);
    cache.put(2, 2, 2);
    cache.put(3, 3, 2);

    expect(cache.remove(1)).toBe(1);
    expect(cache.remove(3)).toBe(3);
    expect(cache.remove(3)).toBeUndefined();
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(3)).toBeUndefined();
    expect(cache.weight).toBe(2);

    cache.put(5, 5, 2);
    cache.put(6, 6, 2);
    cache.put(7, 7, 2);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(3)).toBeUndefined();
    expect([5, 6, 7].some((k) => cache.get(k) !== undefined)).toBe(true);
    expect(cache.weight).toBeLessThanOrEqual(5);
  });
});
