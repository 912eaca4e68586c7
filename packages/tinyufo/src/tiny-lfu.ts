import { CountMinSketch, sketchDimensions } from "./count-min-sketch.js";

/**
 * TinyLFU frequency estimation: a count-min sketch whose counters are halved once
 * every `8 * cacheSize + 1` increments, so old popularity fades.
 */
export class TinyLfu {
  private readonly sketch: CountMinSketch;
  private readonly windowLimit: number;
  private windowCounter = 0;

  /**
   * @param cacheSize the estimated number of items in the cache
   * @param compact size the sketch for a hundredth of `cacheSize` items (less memory, less precise)
   * @param seed seed of the sketch's row hashes
   */
  constructor(cacheSize: number, compact: boolean, seed: number) {
    const items = compact ? Math.floor(cacheSize / 100) : cacheSize;
    this.sketch = new CountMinSketch(sketchDimensions(items), seed);
    // 8x the cache size: a balance between sketch accuracy and how fast it forgets.
    this.windowLimit = cacheSize * 8;
  }

  /** Counts one access to `hash` (ageing the sketch first when the window is full); returns the new estimate. */
  increment(hash: number): number {
    const seen = this.windowCounter++;
    if (seen === this.windowLimit) {
      this.windowCounter = 0;
      this.sketch.age();
    }
    return this.sketch.increment(hash);
  }

  /** Whether the estimated access count of `hash` is above `count` (cheaper than comparing `estimate`). */
  isMoreFrequentThan(hash: number, count: number): boolean {
    return this.sketch.exceeds(hash, count);
  }

  /** The estimated access count of `hash`. */
  estimate(hash: number): number {
    return this.sketch.estimate(hash);
  }
}
