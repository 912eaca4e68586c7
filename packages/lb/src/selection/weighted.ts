import type { Backend } from "../backend.js";
import { Fnv64 } from "../fnv64.js";
import type { Selection, SelectionCursor, SelectionKey } from "./selection.js";
import { WeightTable } from "./weight-table.js";

/** How a {@link WeightedSelection} turns a key into positions (pingora's `SelectionAlgorithm`). */
export type WeightedAlgorithm = "fnv" | "round_robin" | "random";

/**
 * pingora's `Weighted<H>` selection: the first choice is weighted (each backend owns as many
 * positions as its weight), the fallbacks are uniform over the backends.
 *
 * - `fnv`: position = FNV-1a 64 of the key; each fallback re-hashes the previous hash's eight
 *   little-endian bytes (Rust's `FnvHasher`, so the sequence matches pingora's `FNVHash`).
 * - `round_robin`: a counter shared by all walks; the first choice takes one weighted step,
 *   each fallback one uniform step (pingora's `RoundRobin`). The counter starts at 0 on build.
 * - `random`: uniform random positions from the injected source (pingora's `Random`).
 */
export class WeightedSelection<E = unknown> implements Selection<E> {
  readonly backends: readonly Backend<E>[];
  readonly algorithm: WeightedAlgorithm;
  /** @internal */
  readonly table: WeightTable;
  /** @internal The round-robin counter. */
  counter = 0;
  /** @internal */
  readonly random: () => number;

  constructor(backends: readonly Backend<E>[], algorithm: WeightedAlgorithm, random: () => number = Math.random) {
    this.backends = backends;
    this.algorithm = algorithm;
    this.table = new WeightTable(backends);
    this.random = random;
  }

  cursor(): SelectionCursor {
    switch (this.algorithm) {
      case "fnv":
        return new FnvCursor(this);
      case "round_robin":
        return new RoundRobinCursor(this);
      default:
        return new RandomCursor(this);
    }
  }
}

class FnvCursor implements SelectionCursor {
  private readonly hash = new Fnv64();
  private first = true;
  constructor(private readonly sel: WeightedSelection<unknown>) {}

  reset(key: SelectionKey): void {
    const hash = this.hash.reset();
    if (typeof key === "string") hash.string(key);
    else if (key !== undefined) hash.bytes(key);
    this.first = true;
  }

  next(): number {
    const n = this.sel.backends.length;
    if (n === 0) return -1;
    if (this.first) {
      this.first = false;
      return this.sel.table.pick(this.hash.mod(this.sel.table.total));
    }
    return this.hash.rehash().mod(n);
  }
}

class RoundRobinCursor implements SelectionCursor {
  private first = true;
  constructor(private readonly sel: WeightedSelection<unknown>) {}

  reset(): void {
    this.first = true;
  }

  next(): number {
    const sel = this.sel;
    const n = sel.backends.length;
    if (n === 0) return -1;
    const step = sel.counter;
    sel.counter = step === Number.MAX_SAFE_INTEGER ? 0 : step + 1;
    if (this.first) {
      this.first = false;
      return sel.table.pick(step % sel.table.total);
    }
    return step % n;
  }
}

class RandomCursor implements SelectionCursor {
  private first = true;
  constructor(private readonly sel: WeightedSelection<unknown>) {}

  reset(): void {
    this.first = true;
  }

  next(): number {
    const sel = this.sel;
    const n = sel.backends.length;
    if (n === 0) return -1;
    if (this.first) {
      this.first = false;
      const total = sel.table.total;
      return sel.table.pick(Math.min(total - 1, Math.floor(sel.random() * total)));
    }
    return Math.min(n - 1, Math.floor(sel.random() * n));
  }
}
