import { describe, expect, it } from "vitest";
import { SeededRandom, ZipfSampler } from "../src/workload.js";

/** `H(x)`, the integral of `x^-s` used by the sampler. */
function hIntegral(x: number, s: number): number {
  return s === 1 ? Math.log(x) : (x ** (1 - s) - 1) / (1 - s);
}

/** The probability the sampler gives `k` (the inverse is truncated to an integer). */
function expected(k: number, n: number, s: number): number {
  const low = hIntegral(1.5, s) - 1;
  const high = hIntegral(n + 0.5, s);
  const from = k === 1 ? low : hIntegral(k, s);
  const to = k === n ? high : hIntegral(k + 1, s);
  return (to - from) / (high - low);
}

describe("SeededRandom", () => {
  it("repeats its sequence per seed and stays in [0, 1)", () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    let same = 0;
    let sum = 0;
    let differs = 0;
    let outside = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = a.nextFloat();
      if (x !== b.nextFloat()) differs++;
      if (x === c.nextFloat()) same++;
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
    }
    expect(differs).toBe(0);
    expect(outside).toBe(0);
    expect(same).toBe(0);
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.01);
  });
});

describe("ZipfSampler", () => {
  it.each([1.0, 1.5, 0.9])("draws 1..n with the rejection-inversion frequencies (s = %s)", (s) => {
    const n = 1000;
    const draws = 1_000_000;
    const zipf = new ZipfSampler(n, s, new SeededRandom(3));
    const counts = new Float64Array(n + 2);
    for (let i = 0; i < draws; i++) counts[zipf.next()]!++;
    // nothing outside 1..n (a fractional k would land in no slot and lower the total)
    expect(counts[0]).toBe(0);
    expect(counts[n + 1]).toBe(0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(draws);
    for (const k of [1, 2, 3, 10, 100]) {
      const p = expected(k, n, s);
      const sigma = Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs(counts[k]! / draws - p)).toBeLessThan(5 * sigma);
    }
    // frequencies fall with rank, roughly as k^-s
    expect(counts[1]! / counts[10]!).toBeGreaterThan(10 ** s * 0.5);
  });

  it("rejects bad parameters", () => {
    expect(() => new ZipfSampler(0, 1, new SeededRandom(1))).toThrow(RangeError);
    expect(() => new ZipfSampler(10, 0, new SeededRandom(1))).toThrow(RangeError);
  });
});
