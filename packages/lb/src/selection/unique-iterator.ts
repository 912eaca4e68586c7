import type { Backend } from "../backend.js";
import type { Selection, SelectionCursor, SelectionKey } from "./selection.js";

/**
 * pingora's `UniqueIterator`: walks a selection for a key, yielding each backend at most once
 * and stopping after `maxIterations` steps of the underlying walk (repeats count as steps).
 * It can be restarted for another key, so one iterator serves any number of selections
 * without allocating: "seen" is a generation stamp per backend.
 *
 * @example
 * ```ts
 * const it = new UniqueIterator(selection).restart("user-42", 8);
 * for (let b = it.nextBackend(); b !== undefined; b = it.nextBackend()) if (usable(b)) break;
 * ```
 */
export class UniqueIterator<E = unknown> {
  readonly selection: Selection<E>;
  private readonly cursor: SelectionCursor;
  private readonly seen: Uint32Array;
  private generation = 0;
  private steps = 0;
  private max = 0;

  constructor(selection: Selection<E>) {
    this.selection = selection;
    this.cursor = selection.cursor();
    this.seen = new Uint32Array(selection.backends.length);
  }

  /** Starts a walk for `key` bounded by `maxIterations` steps; returns this. */
  restart(key: SelectionKey, maxIterations: number): this {
    this.cursor.reset(key);
    if (this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 0;
    }
    this.generation++;
    this.steps = 0;
    this.max = maxIterations;
    return this;
  }

  /** The index of the next backend not yet yielded in this walk, or -1 when the walk or its budget is over. */
  nextIndex(): number {
    const seen = this.seen;
    const generation = this.generation;
    while (this.steps < this.max) {
      const i = this.cursor.next();
      if (i < 0) return -1;
      this.steps++;
      if (seen[i] !== generation) {
        seen[i] = generation;
        return i;
      }
    }
    return -1;
  }

  /** The next backend not yet yielded in this walk, or `undefined`. */
  nextBackend(): Backend<E> | undefined {
    const i = this.nextIndex();
    return i < 0 ? undefined : this.selection.backends[i];
  }
}
