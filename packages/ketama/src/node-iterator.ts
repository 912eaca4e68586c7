import type { Bucket } from "./bucket.js";
import type { Continuum } from "./continuum.js";

/**
 * Walks a {@link Continuum} point by point from a start position, yielding each point's
 * bucket (the same bucket may come several times in a row) and wrapping to point 0 after
 * the last, so on a non-empty ring it never ends: stop when you have found a healthy server.
 */
export class NodeIterator<B extends Bucket = Bucket> implements IterableIterator<B> {
  private readonly ring: Continuum<B>;
  /** The ring position the next call returns. */
  idx: number;

  /**
   * @param ring The ring to walk.
   * @param start The first ring position to yield.
   */
  constructor(ring: Continuum<B>, start: number) {
    this.ring = ring;
    this.idx = start;
  }

  /** The bucket at the current point, advancing one point; `undefined` on an empty ring. */
  nextNode(): B | undefined {
    const bucket = this.ring.get(this.idx);
    // Only advance on a non-empty ring (an empty one would divide by zero).
    if (bucket !== undefined) this.idx = (this.idx + 1) % this.ring.size;
    return bucket;
  }

  /** Iterator protocol form of {@link NodeIterator.nextNode}. */
  next(): IteratorResult<B, undefined> {
    const bucket = this.nextNode();
    return bucket === undefined ? { done: true, value: undefined } : { done: false, value: bucket };
  }

  /** Returns itself, so the iterator works in `for … of`. */
  [Symbol.iterator](): this {
    return this;
  }
}
