import type { Backend } from "../backend.js";
import type { Selection, SelectionCursor } from "./selection.js";

/** Largest `total weight × backends` for which the whole cycle is computed at build. */
const SCHEDULE_WORK_LIMIT = 1 << 24;
/** Longest cycle kept as a schedule. */
const SCHEDULE_LIMIT = 1 << 20;

/**
 * nginx's smooth weighted round robin: every pick adds each backend's weight to its current
 * weight, takes the backend with the largest current weight (the first on a tie) and
 * subtracts the total weight from it. Weights 5, 1, 1 give `a a b a c a a`: the heavy
 * backend's turns are spread out rather than bunched. Each step of a walk is one more pick
 * (a backend that cannot be used loses its turn to the next pick). The state restarts at 0
 * when the set changes.
 *
 * After `total weight` picks every current weight is back to 0, so the sequence is a cycle
 * of that length; when it is small enough (see the limits above) the cycle is computed once
 * at build and a pick is one array read instead of a pass over all backends.
 */
export class SmoothRoundRobin<E = unknown> implements Selection<E> {
  readonly backends: readonly Backend<E>[];
  private readonly weights: Float64Array;
  private readonly current: Float64Array;
  private readonly total: number;
  private readonly schedule: Uint16Array | Uint32Array | undefined;
  private position = 0;

  /**
   * @param options.precompute Compute the cycle at build when it is small enough (default
   *   `true`); `false` always picks live. Both give the same sequence.
   */
  constructor(backends: readonly Backend<E>[], options: { precompute?: boolean } = {}) {
    this.backends = backends;
    this.weights = new Float64Array(backends.length);
    this.current = new Float64Array(backends.length);
    let total = 0;
    for (let i = 0; i < backends.length; i++) {
      this.weights[i] = backends[i]!.weight;
      total += backends[i]!.weight;
    }
    this.total = total;
    if (options.precompute !== false && total > 0 && total <= SCHEDULE_LIMIT && total * backends.length <= SCHEDULE_WORK_LIMIT) {
      const schedule = backends.length <= 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
      for (let t = 0; t < total; t++) schedule[t] = this.pickLive();
      this.schedule = schedule;
    }
  }

  /** One smooth pick: the index of the chosen backend, -1 when there is none. */
  pick(): number {
    const schedule = this.schedule;
    if (schedule === undefined) return this.pickLive();
    const position = this.position;
    this.position = position + 1 === schedule.length ? 0 : position + 1;
    return schedule[position]!;
  }

  private pickLive(): number {
    const weights = this.weights;
    const current = this.current;
    let best = -1;
    let bestWeight = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = current[i]! + weights[i]!;
      current[i] = w;
      if (best < 0 || w > bestWeight) {
        best = i;
        bestWeight = w;
      }
    }
    if (best >= 0) current[best] = bestWeight - this.total;
    return best;
  }

  cursor(): SelectionCursor {
    return new SmoothCursor(this);
  }
}

class SmoothCursor implements SelectionCursor {
  constructor(private readonly sel: SmoothRoundRobin<unknown>) {}

  reset(): void {}

  next(): number {
    return this.sel.pick();
  }
}
