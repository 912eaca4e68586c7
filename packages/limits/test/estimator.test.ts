import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Estimator, LimitsArgumentError } from "../src/index.js";

describe("Estimator (Pingora's vectors, 8 hashes x 8 slots)", () => {
  it("incr returns the new estimate", () => {
    const est = new Estimator(8, 8);
    expect(est.incr("a", 1)).toBe(1);
    expect(est.incr("b", 1)).toBe(1);
    expect(est.incr("a", 2)).toBe(3);
    expect(est.incr("b", 2)).toBe(3);
  });

  it("decr takes back", () => {
    const est = new Estimator(8, 8);
    est.incr("a", 3);
    est.incr("b", 3);
    est.decr("a", 1);
    est.decr("b", 1);
    expect(est.get("a")).toBe(2);
    expect(est.get("b")).toBe(2);
  });

  it("get reads the estimate", () => {
    const est = new Estimator(8, 8);
    est.incr("a", 1);
    est.incr("a", 2);
    est.incr("b", 1);
    est.incr("b", 2);
    expect(est.get("a")).toBe(3);
    expect(est.get("b")).toBe(3);
  });

  it("reset clears everything", () => {
    const est = new Estimator(8, 8);
    est.incr("a", 1);
    est.incr("a", 2);
    est.incr("b", 1);
    est.incr("b", 2);
    est.decr("b", 1);
    est.reset();
    expect(est.get("a")).toBe(0);
    expect(est.get("b")).toBe(0);
  });
});

describe("Estimator", () => {
  it("defaults n to 1 and accepts numbers and byte arrays as keys", () => {
    const est = new Estimator(4, 1024, { seed: 7 });
    expect(est.incr(42)).toBe(1);
    expect(est.incr(42)).toBe(2);
    expect(est.incr(new Uint8Array([1, 2, 3]))).toBe(1);
    expect(est.get(new Uint8Array([1, 2, 3]))).toBe(1);
    expect(est.get(43)).toBe(0);
    expect(est.decr(42)).toBe(1);
  });

  it("with one slot per row counts every key together", () => {
    const est = new Estimator(3, 1);
    est.incr("a", 2);
    expect(est.get("zzz")).toBe(2);
  });

  it("keeps integer counts exact far beyond 2^31 (no wrap-around)", () => {
    const est = new Estimator(2, 16);
    est.incr("big", 2 ** 31 - 1);
    expect(est.incr("big", 1)).toBe(2 ** 31);
    expect(est.incr("big", 2 ** 52)).toBe(2 ** 52 + 2 ** 31);
  });

  it("uses fixed memory", () => {
    const est = new Estimator(4, 1024);
    expect(est.byteLength).toBe(4 * 1024 * 8);
    for (let i = 0; i < 10_000; i++) est.incr(`k${i}`);
    expect(est.byteLength).toBe(4 * 1024 * 8);
  });

  it("is usually exact while keys are far fewer than slots", () => {
    const est = new Estimator(4, 4096, { seed: 3 });
    for (let i = 0; i < 200; i++) est.incr(`key-${i}`, i + 1);
    let exact = 0;
    for (let i = 0; i < 200; i++) if (est.get(`key-${i}`) === i + 1) exact++;
    expect(exact).toBeGreaterThanOrEqual(199);
  });

  it("rejects bad shapes with a coded error", () => {
    expect(() => new Estimator(0, 8)).toThrow(LimitsArgumentError);
    expect(() => new Estimator(4, 1.5)).toThrow(LimitsArgumentError);
    try {
      new Estimator(4, 0);
      expect.unreachable();
    } catch (e) {
      expect((e as LimitsArgumentError).code).toBe("ZP_LIMITS_BAD_ARGUMENT");
    }
  });
});

describe("Estimator properties", () => {
  const op = fc.record({ key: fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -50, max: 50 })), n: fc.integer({ min: 1, max: 20 }) });

  it("never under-counts an increment-only sequence", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 32 }), (ops, hashes, slots) => {
        const est = new Estimator(hashes, slots);
        const truth = new Map<string | number, number>();
        for (const { key, n } of ops) {
          const count = (truth.get(key) ?? 0) + n;
          truth.set(key, count);
          expect(est.incr(key, n)).toBeGreaterThanOrEqual(count);
        }
        for (const [key, count] of truth) expect(est.get(key)).toBeGreaterThanOrEqual(count);
      }),
    );
  });

  it("decr reverses incr: undoing every step leaves all zeros", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.array(fc.string({ maxLength: 6 }), { maxLength: 20 }), (ops, probes) => {
        const est = new Estimator(4, 16);
        const before = probes.map((k) => est.get(k));
        for (const { key, n } of ops) est.incr(key, n);
        for (const { key, n } of [...ops].reverse()) est.decr(key, n);
        expect(probes.map((k) => est.get(k))).toEqual(before);
        for (const { key } of ops) expect(est.get(key)).toBe(0);
      }),
    );
  });
});
