import { Continuum } from "@zp/ketama";
import type { Backend } from "../backend.js";
import type { Selection, SelectionCursor, SelectionKey } from "./selection.js";

/**
 * Ketama consistent hashing (pingora's `KetamaHashing`) on a `@zp/ketama` ring: each backend
 * gets `weight × 160` points, hashed from its canonical address and port exactly as nginx and
 * pingora-ketama do, so a key maps to the same backend in all three, and removing a backend
 * only moves the keys it owned. The walk starts at the key's point and goes round the ring
 * one point per step (repeats included, never ending: bound it with `maxIterations`).
 */
export class KetamaSelection<E = unknown> implements Selection<E> {
  readonly backends: readonly Backend<E>[];
  /** The ring; its buckets are the backends themselves. */
  readonly ring: Continuum<Backend<E>>;

  /**
   * @throws `KetamaError` (`ZP_KETAMA_TOO_LARGE`) when the weights ask for more than 2^25 points.
   */
  constructor(backends: readonly Backend<E>[]) {
    this.backends = backends;
    this.ring = new Continuum(backends);
  }

  cursor(): SelectionCursor {
    return new KetamaCursor(this.ring);
  }
}

class KetamaCursor implements SelectionCursor {
  private position = 0;

  constructor(private readonly ring: Continuum<Backend<unknown>>) {}

  reset(key: SelectionKey): void {
    this.position = this.ring.nodeIdx(key ?? "");
  }

  next(): number {
    const ring = this.ring;
    const size = ring.size;
    if (size === 0) return -1;
    const owner = ring.bucketIdxAt(this.position);
    this.position = this.position + 1 === size ? 0 : this.position + 1;
    return owner;
  }
}
