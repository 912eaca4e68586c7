import type { Backend } from "../backend.js";

/** Total weights up to this size get a direct lookup table; larger ones a binary search. */
const TABLE_LIMIT = 1 << 18;

/**
 * Maps a position in `0 .. total - 1` to the backend owning it when each backend owns as
 * many consecutive positions as its weight: the same answer as indexing pingora's expanded
 * `weighted` array, without its memory for large weights.
 */
export class WeightTable {
  /** Sum of the weights. */
  readonly total: number;
  private readonly table: Uint16Array | Uint32Array | undefined;
  private readonly ends: Float64Array;

  constructor(backends: readonly Backend<unknown>[]) {
    const ends = new Float64Array(backends.length);
    let total = 0;
    for (let i = 0; i < backends.length; i++) {
      total += backends[i]!.weight;
      ends[i] = total;
    }
    this.total = total;
    this.ends = ends;
    if (total <= TABLE_LIMIT) {
      const table = backends.length <= 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
      let at = 0;
      for (let i = 0; i < backends.length; i++) {
        table.fill(i, at, at + backends[i]!.weight);
        at += backends[i]!.weight;
      }
      this.table = table;
    }
  }

  /** The index of the backend owning `position` (0 ≤ position < total). */
  pick(position: number): number {
    if (this.table !== undefined) return this.table[position]!;
    const ends = this.ends;
    let low = 0;
    let high = ends.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (ends[mid]! > position) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}
