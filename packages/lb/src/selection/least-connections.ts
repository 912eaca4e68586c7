import type { Backend } from "../backend.js";
import { InflightTracker, type InflightCounter } from "./inflight.js";
import type { Selection, SelectionCursor } from "./selection.js";

/**
 * @internal Reads in-flight counts by backend index: straight from the default tracker's
 * typed array, or through an injected {@link InflightCounter}.
 */
export class LoadReader {
  private readonly ids: Int32Array | undefined;
  private readonly tracker: InflightTracker | undefined;

  constructor(
    private readonly backends: readonly Backend<unknown>[],
    private readonly counter: InflightCounter,
  ) {
    this.tracker = counter instanceof InflightTracker ? counter : undefined;
    this.ids = this.tracker?.bind(backends);
  }

  load(i: number): number {
    return this.ids !== undefined ? this.tracker!.counts[this.ids[i]!]! : this.counter.get(this.backends[i]!);
  }
}

/**
 * Weighted least connections (pingora's `LeastConnections`): backends in ascending order of
 * in-flight requests per unit of weight (`a.inflight × b.weight` against `b.inflight × a.weight`,
 * no division). Among equally loaded backends a rotating offset, advanced on every walk,
 * decides who comes first, so ties are served round robin. Each step finds the next backend
 * in that order with one pass, so the usual one-step walk costs O(n) and allocates nothing.
 */
export class LeastConnections<E = unknown> implements Selection<E> {
  readonly backends: readonly Backend<E>[];
  /** @internal */
  readonly reader: LoadReader;
  /** @internal Weights by index. */
  readonly weights: Float64Array;
  /** @internal The tie-break rotation, advanced per walk. */
  rotation = 0;

  constructor(backends: readonly Backend<E>[], inflight: InflightCounter) {
    this.backends = backends;
    this.reader = new LoadReader(backends, inflight);
    this.weights = Float64Array.from(backends, (b) => b.weight);
  }

  cursor(): SelectionCursor {
    return new LeastCursor(this);
  }
}

class LeastCursor implements SelectionCursor {
  private rotation = 0;
  private previous = -1;
  private started = false;

  constructor(private readonly sel: LeastConnections<unknown>) {}

  reset(): void {
    this.previous = -1;
    this.started = false;
  }

  /** Whether backend `i` comes before backend `j`: less load per weight, then the rotated rank. */
  private before(i: number, j: number): boolean {
    const { weights, reader } = this.sel;
    const left = reader.load(i) * weights[j]!;
    const right = reader.load(j) * weights[i]!;
    if (left !== right) return left < right;
    const n = weights.length;
    return (i + n - this.rotation) % n < (j + n - this.rotation) % n;
  }

  next(): number {
    const sel = this.sel;
    const backends = sel.backends;
    const n = backends.length;
    if (n === 0) return -1;
    if (!this.started) {
      // First choice: one pass in rank order (starting at the rotation), keeping the first of
      // equal loads. Counts cannot change during a synchronous walk, so no snapshot is needed.
      this.started = true;
      const rotation = sel.rotation;
      this.rotation = rotation;
      sel.rotation = rotation + 1 === n ? 0 : rotation + 1;
      const reader = sel.reader;
      const weights = sel.weights;
      let best = rotation;
      let bestLoad = reader.load(best);
      let bestWeight = weights[best]!;
      for (let i = rotation + 1 === n ? 0 : rotation + 1; i !== rotation; i = i + 1 === n ? 0 : i + 1) {
        const load = reader.load(i);
        const weight = weights[i]!;
        if (load * bestWeight < bestLoad * weight) {
          best = i;
          bestLoad = load;
          bestWeight = weight;
        }
      }
      this.previous = best;
      return best;
    }
    // Later choices: the least backend after the previous one in the same order.
    const previous = this.previous;
    if (previous < 0) return -1;
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (!this.before(previous, i)) continue;
      if (best < 0 || this.before(i, best)) best = i;
    }
    this.previous = best;
    return best;
  }
}
