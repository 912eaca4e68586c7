import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Inflight, InflightGuard } from "../src/index.js";

describe("Inflight", () => {
  it("follows Pingora's vector", () => {
    const inflight = new Inflight();
    const [g1, v1] = inflight.incr("a", 1);
    expect(v1).toBe(1);
    const [g2, v2] = inflight.incr("a", 2);
    expect(v2).toBe(3);
    g1.release();
    expect(g2.get()).toBe(2);
    g2.release();
    const [, v3] = inflight.incr("a", 1);
    expect(v3).toBe(1);
  });

  it("releases exactly once", () => {
    const inflight = new Inflight();
    const [g] = inflight.incr("k", 5);
    inflight.incr("k", 1);
    expect(g.released).toBe(false);
    g.release();
    g.release();
    g[Symbol.dispose]();
    expect(g.released).toBe(true);
    expect(inflight.get("k")).toBe(1);
    expect(g.value).toBe(5);
  });

  it("releases at the end of a using block", () => {
    const inflight = new Inflight();
    {
      using guard = inflight.incr("conn")[0];
      expect(guard).toBeInstanceOf(InflightGuard);
      expect(inflight.get("conn")).toBe(1);
    }
    expect(inflight.get("conn")).toBe(0);
  });

  it("releases when an exception leaves the using block", () => {
    const inflight = new Inflight();
    const work = () => {
      using _guard = inflight.incr(new Uint8Array([10, 0, 0, 1]))[0];
      throw new Error("upstream failed");
    };
    expect(work).toThrow("upstream failed");
    expect(inflight.get(new Uint8Array([10, 0, 0, 1]))).toBe(0);
  });

  it("keeps its count when a byte-array key is changed after incr", () => {
    const inflight = new Inflight();
    const key = new Uint8Array([1, 2, 3]);
    const [g] = inflight.incr(key);
    key[0] = 9;
    g.release();
    expect(inflight.get(new Uint8Array([1, 2, 3]))).toBe(0);
  });

  it("returns to 0 for every key once all guards are released, in any order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.string({ maxLength: 4 }), n: fc.integer({ min: 1, max: 9 }) }), { maxLength: 100 }),
        fc.infiniteStream(fc.nat()),
        fc.integer({ min: 1, max: 64 }),
        (ops, picks, slots) => {
          const inflight = new Inflight({ slots });
          const guards = ops.map(({ key, n }) => inflight.incr(key, n)[0]);
          const it = picks[Symbol.iterator]();
          while (guards.length > 0) {
            const at = it.next().value! % guards.length;
            const [g] = guards.splice(at, 1);
            g!.release();
            g!.release();
          }
          for (const { key } of ops) expect(inflight.get(key)).toBe(0);
        },
      ),
    );
  });
});
