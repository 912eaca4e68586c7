import { describe, expect, it } from "vitest";
import { fingerprint, hashKey, lanes, slotOf } from "../src/key-hash.js";

function hashOf(key: string | number | Uint8Array, seed = 1): [number, number] {
  hashKey(key, seed);
  return [lanes[0]!, lanes[1]!];
}

describe("hashKey", () => {
  it("is deterministic for a seed and changes with the seed", () => {
    expect(hashOf("client-42")).toEqual(hashOf("client-42"));
    expect(hashOf("client-42", 1)).not.toEqual(hashOf("client-42", 2));
  });

  it("treats 0 and -0 as one key, every NaN as one key, and tells 1 from 1.5", () => {
    expect(hashOf(0)).toEqual(hashOf(-0));
    expect(hashOf(Number.NaN)).toEqual(hashOf(0 / 0));
    expect(hashOf(1)).not.toEqual(hashOf(1.5));
    expect(hashOf(2 ** 40)).not.toEqual(hashOf(2 ** 40 + 1));
  });

  it("hashes odd-length strings, unicode and byte arrays of every tail length", () => {
    expect(hashOf("ab")).not.toEqual(hashOf("abc"));
    expect(hashOf("é")).not.toEqual(hashOf("e"));
    expect(hashOf("😀")).not.toEqual(hashOf("😁"));
    const seen = new Set<string>();
    for (let n = 0; n <= 9; n++) seen.add(hashOf(new Uint8Array(n).fill(7)).join());
    expect(seen.size).toBe(10);
    // Same content, different type: different hash streams.
    expect(hashOf(new Uint8Array([97, 0, 98, 0]))).not.toEqual(hashOf("ab"));
  });

  it("gives 100k distinct keys 100k distinct 64-bit hashes", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(hashOf(`10.0.${i >> 8}.${i & 255}`).join());
    expect(seen.size).toBe(100_000);
  });

  it("spreads keys evenly over slots in every row", () => {
    const slots = 64;
    const keys = 64_000;
    for (let row = 0; row < 4; row++) {
      const counts = new Array<number>(slots).fill(0);
      for (let i = 0; i < keys; i++) {
        hashKey(`key-${i}`, 99);
        counts[slotOf(row, 0x1234567 * (row + 1), slots)]!++;
      }
      // Expected 1000 per slot; a chi-square over 63 degrees of freedom stays far below 150.
      const chi = counts.reduce((sum, c) => sum + (c - 1000) ** 2 / 1000, 0);
      expect(chi).toBeLessThan(150);
    }
  });

  it("fingerprints to a safe integer", () => {
    const f = fingerprint("abc", 5);
    expect(Number.isSafeInteger(f)).toBe(true);
    expect(f).toBe(fingerprint("abc", 5));
    expect(f).not.toBe(fingerprint("abd", 5));
  });
});
