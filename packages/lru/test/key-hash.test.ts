import { describe, expect, it } from "vitest";
import { hashKey, hashNumber, hashString } from "../src/index.js";

describe("hashKey", () => {
  it("returns unsigned 32-bit integers, the same for equal keys", () => {
    for (const key of ["", "a", "/index.html", "ключ", 0, 1, -1, 2 ** 40, 0.5, -Infinity]) {
      const h = hashKey(key);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffff_ffff).toBe(true);
      expect(hashKey(key)).toBe(h);
    }
    expect(hashString(`a${"b"}c`)).toBe(hashString("abc"));
  });

  it("treats keys Map treats as one alike", () => {
    expect(hashNumber(-0)).toBe(hashNumber(0));
    expect(hashNumber(Number.NaN)).toBe(hashNumber(0 / 0));
  });

  it("tells close keys apart", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      seen.add(hashString(`key-${i}`));
      seen.add(hashNumber(i));
      seen.add(hashNumber(i + 0.5));
    }
    expect(seen.size).toBeGreaterThan(29_990);
    expect(hashString("ab")).not.toBe(hashString("ba"));
  });
});
