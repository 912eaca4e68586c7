import { describe, expect, it } from "vitest";
import { hashKey } from "../src/index.js";

describe("hashKey", () => {
  it("is deterministic per seed and differs across seeds", () => {
    expect(hashKey("example.com/a", 1)).toBe(hashKey("example.com/a", 1));
    expect(hashKey("example.com/a", 1)).not.toBe(hashKey("example.com/a", 2));
    expect(hashKey(42, 1)).toBe(hashKey(42, 1));
    expect(hashKey(1.5, 1)).toBe(hashKey(1.5, 1));
  });

  it("returns signed 32-bit integers", () => {
    for (const key of ["", "a", "ab", "abc", "\u{1F600}", 0, -1, 2 ** 40, 0.1, Number.NaN]) {
      const h = hashKey(key, 7);
      expect(h).toBe(h | 0);
    }
  });

  it("hashes -0 like 0, as Map keys treat them alike", () => {
    expect(hashKey(-0, 3)).toBe(hashKey(0, 3));
  });

  it("spreads similar keys (few collisions over 100k keys)", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50_000; i++) {
      seen.add(hashKey(`/assets/${i}.js`, 9));
      seen.add(hashKey(i * 3 + 0.5, 9));
    }
    // a random 32-bit hash gives about one collision per 86k pairs of 100k keys
    expect(seen.size).toBeGreaterThan(99_990);
  });

  it("tells apart strings that differ in one code unit or in length", () => {
    expect(hashKey("ab", 0)).not.toBe(hashKey("ba", 0));
    expect(hashKey("a", 0)).not.toBe(hashKey("a\0", 0));
    expect(hashKey("abc", 0)).not.toBe(hashKey("abd", 0));
  });
});
