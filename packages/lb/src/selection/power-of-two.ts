import type { Backend } from "../backend.js";
import type { InflightCounter } from "./inflight.js";
import { LoadReader } from "./least-connections.js";
import type { Selection, SelectionCursor } from "./selection.js";
import { WeightTable } from "./weight-table.js";

/**
 * Power of two choices with least connections: draw two distinct backends at random
 * (weighted by weight), take the one with fewer in-flight requests per unit of weight (the
 * first drawn on a tie), then offer the other. Further fallbacks walk the list from a random
 * start, so every backend is reachable within `n + 2` steps. O(1) per pick.
 */
export class PowerOfTwoChoices<E = unknown> implements Selection<E> {
  readonly backends: readonly Backend<E>[];
  /** @internal */
  readonly reader: LoadReader;
  /** @internal */
  readonly table: WeightTable;
  /** @internal */
  readonly random: () => number;

  constructor(backends: readonly Backend<E>[], inflight: InflightCounter, random: () => number = Math.random) {
    this.backends = backends;
    this.reader = new LoadReader(backends, inflight);
    this.table = new WeightTable(backends);
    this.random = random;
  }

  /** @internal A weighted random index. */
  draw(): number {
    const total = this.table.total;
    return this.table.pick(Math.min(total - 1, Math.floor(this.random() * total)));
  }

  cursor(): SelectionCursor {
    return new TwoChoicesCursor(this);
  }
}

class TwoChoicesCursor implements SelectionCursor {
  private step = 0;
  private other = -1;
  private start = 0;

  constructor(private readonly sel: PowerOfTwoChoices<unknown>) {}

  reset(): void {
    this.step = 0;
    this.start = -1;
  }

  next(): number {
    const sel = this.sel;
    const n = sel.backends.length;
    if (n === 0) return -1;
    const step = this.step++;
    if (step === 0) {
      const a = sel.draw();
      if (n === 1) {
        this.other = -1;
        return a;
      }
      let b = sel.draw();
      // A heavy backend may be drawn twice; after a few tries take its neighbour instead.
      for (let tries = 0; b === a && tries < 3; tries++) b = sel.draw();
      if (b === a) b = (a + 1) % n;
      const backends = sel.backends;
      const loadA = sel.reader.load(a) * backends[b]!.weight;
      const loadB = sel.reader.load(b) * backends[a]!.weight;
      if (loadB < loadA) {
        this.other = a;
        return b;
      }
      this.other = b;
      return a;
    }
    if (step === 1 && this.other >= 0) return this.other;
    if (this.start < 0) this.start = Math.min(n - 1, Math.floor(sel.random() * n));
    const offset = step - (this.other >= 0 ? 2 : 1);
    return offset < n ? (this.start + offset) % n : -1;
  }
}
