import { describe, expect, it } from "vitest";
import { CountMinSketch, TinyLfu, hashKey, sketchDimensions } from "../src/index.js";

describe("sketchDimensions", () => {
  it("matches the count-min formulas (test_cmk_paras)", () => {
    expect(sketchDimensions(1_000_000)).toEqual({ width: 2_718_282, depth: 20 });
    expect(sketchDimensions(10_000)).toEqual({ width: 27_183, depth: 14 });
    expect(sketchDimensions(5)).toEqual({ width: 16, depth: 3 });
    expect(sketchDimensions(1)).toEqual({ width: 16, depth: 2 });
    expect(sketchDimensions(0)).toEqual({ width: 16, depth: 2 });
  });
});

describe("CountMinSketch", () => {
  it("counts, saturates at 255 and halves on ageing", () => {
    const sketch = new CountMinSketch({ width: 64, depth: 4 }, 1);
    const h = hashKey("a", 0);
    expect(sketch.estimate(h)).toBe(0);
    for (let i = 1; i <= 300; i++) expect(sketch.increment(h)).toBe(Math.min(i, 255));
    expect(sketch.estimate(h)).toBe(255);
    sketch.age();
    expect(sketch.estimate(h)).toBe(127);
    sketch.age();
    expect(sketch.estimate(h)).toBe(63);
  });

  it("exceeds(hash, t) agrees with estimate(hash) > t", () => {
    const sketch = new CountMinSketch({ width: 32, depth: 5 }, 4);
    for (let i = 0; i < 3000; i++) sketch.increment(hashKey(i % 97, 1));
    for (let key = 0; key < 200; key++) {
      const h = hashKey(key, 1);
      const estimate = sketch.estimate(h);
      for (const t of [0, estimate - 1, estimate, estimate + 1, 255]) expect(sketch.exceeds(h, t)).toBe(estimate > t);
    }
  });

  it("never under-estimates", () => {
    const sketch = new CountMinSketch(sketchDimensions(50), 9);
    const truth = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const key = (i * 7919) % 301;
      truth.set(key, (truth.get(key) ?? 0) + 1);
      sketch.increment(hashKey(key, 3));
    }
    for (const [key, count] of truth) expect(sketch.estimate(hashKey(key, 3))).toBeGreaterThanOrEqual(Math.min(count, 255));
  });
});

describe("TinyLfu", () => {
  it("counts and ages after the window (test_tiny_lfu)", () => {
    const tiny = new TinyLfu(1, false, 11);
    const h = (k: number) => hashKey(k, 5);
    expect(tiny.estimate(h(1))).toBe(0);
    expect(tiny.increment(h(1))).toBe(1);
    expect(tiny.increment(h(1))).toBe(2);
    expect(tiny.estimate(h(1))).toBe(2);

    const two = tiny.estimate(h(2));
    expect(tiny.increment(h(2))).toBe(two + 1);
    expect(tiny.increment(h(2))).toBe(two + 2);
    expect(tiny.estimate(h(2))).toBe(two + 2);

    const three = tiny.estimate(h(3));
    expect(tiny.increment(h(3))).toBe(three + 1);
    expect(tiny.increment(h(3))).toBe(three + 2);
    expect(tiny.increment(h(3))).toBe(three + 3);
    expect(tiny.increment(h(3))).toBe(three + 4);

    // 8 increments so far: the next one ages the sketch first
    expect(tiny.increment(h(3))).toBeGreaterThanOrEqual(3); // had 4, halved to 2, plus one
    expect(tiny.increment(h(1))).toBeGreaterThanOrEqual(2); // had 2, halved to 1, plus one
    expect(tiny.increment(h(2))).toBeGreaterThanOrEqual(2);
  });

  it("halves exactly on increment number 8 * size + 1", () => {
    const tiny = new TinyLfu(4, false, 1); // window limit 32
    const h = hashKey("hot", 1);
    for (let i = 1; i <= 32; i++) expect(tiny.increment(h)).toBe(i);
    expect(tiny.increment(h)).toBe(17); // 32 halved to 16, plus one
    for (let i = 18; i <= 49; i++) expect(tiny.increment(h)).toBe(i);
    expect(tiny.increment(h)).toBe(25); // the next window is 33 increments long too
  });
});
