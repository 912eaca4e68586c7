import { fmix32 } from "./hash-key.js";

/** Width (counters per row) and depth (rows) of a count-min sketch. */
export interface SketchDimensions {
  readonly width: number;
  readonly depth: number;
}

/**
 * The sketch size for `items` distinct items, with error range and failure probability
 * both `1 / items`: width `ceil(e * items)` (at least 16) and depth `ceil(log2(items))`
 * (at least 2).
 */
export function sketchDimensions(items: number): SketchDimensions {
  const errorRange = 1 / items;
  const failureProbability = 1 / items;
  return {
    width: Math.max(Math.ceil(Math.E / errorRange), 16),
    depth: Math.max(Math.ceil(Math.log(failureProbability) / Math.log(0.5)), 2),
  };
}

const MAX_COUNT = 255;

/**
 * A count-min sketch of saturating 8-bit counters, addressed by a 32-bit key hash.
 * Row `r` reads the counter at `h1 + r * h2` (double hashing, with `h2` a second,
 * seeded mix of the hash), mapped onto the row by a multiply instead of a division.
 */
export class CountMinSketch {
  readonly width: number;
  readonly depth: number;
  private readonly counters: Uint8Array;
  /** The same memory as `counters`, four counters at a time, for fast ageing. */
  private readonly quads: Uint32Array;
  private readonly seed: number;
  /** `width / 2^32`: maps a uint32 onto `0..width-1` by one multiplication. */
  private readonly scale: number;
  /** Width fits 16 bits: map the probe's top 16 bits with an integer multiply instead. */
  private readonly narrow: boolean;

  constructor(dimensions: SketchDimensions, seed: number) {
    this.width = dimensions.width;
    this.depth = dimensions.depth;
    this.quads = new Uint32Array(Math.ceil((this.width * this.depth) / 4));
    this.counters = new Uint8Array(this.quads.buffer);
    this.seed = fmix32(seed | 0) | 0;
    this.scale = this.width / 4_294_967_296;
    this.narrow = this.width <= 65_536;
  }

  /** Counts one more occurrence of `hash`; returns its new estimated count. */
  increment(hash: number): number {
    const { counters, width, depth, scale, narrow } = this;
    const step = fmix32(hash ^ this.seed) | 1;
    let probe = hash | 0;
    let min = MAX_COUNT;
    for (let base = 0, end = width * depth; base < end; base += width) {
      const index = base + (narrow ? Math.imul(probe >>> 16, width) >>> 16 : ((probe >>> 0) * scale) | 0);
      let count = counters[index]!;
      if (count !== MAX_COUNT) counters[index] = ++count;
      if (count < min) min = count;
      probe = (probe + step) | 0;
    }
    return min;
  }

  /** The estimated count of `hash`. */
  estimate(hash: number): number {
    const { counters, width, depth, scale, narrow } = this;
    const step = fmix32(hash ^ this.seed) | 1;
    let probe = hash | 0;
    let min = MAX_COUNT;
    for (let base = 0, end = width * depth; base < end; base += width) {
      const count = counters[base + (narrow ? Math.imul(probe >>> 16, width) >>> 16 : ((probe >>> 0) * scale) | 0)]!;
      if (count < min) min = count;
      probe = (probe + step) | 0;
    }
    return min;
  }

  /**
   * Whether the estimated count of `hash` is above `threshold`. Stops at the first
   * row at or below it, so an unpopular key costs one or two rows, not all.
   */
  exceeds(hash: number, threshold: number): boolean {
    const { counters, width, depth, scale, narrow } = this;
    const step = fmix32(hash ^ this.seed) | 1;
    let probe = hash | 0;
    for (let base = 0, end = width * depth; base < end; base += width) {
      if (counters[base + (narrow ? Math.imul(probe >>> 16, width) >>> 16 : ((probe >>> 0) * scale) | 0)]! <= threshold) return false;
      probe = (probe + step) | 0;
    }
    return true;
  }

  /** Halves every counter (a right shift by one bit). */
  age(): void {
    const quads = this.quads;
    for (let i = 0; i < quads.length; i++) quads[i] = (quads[i]! >>> 1) & 0x7f7f7f7f;
  }
}
