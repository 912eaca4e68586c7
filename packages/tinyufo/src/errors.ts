/**
 * Raised when a TinyUFO cache is built or used with an out-of-range number
 * (a weight limit, an estimated size or an item weight).
 */
export class TinyUfoRangeError extends RangeError {
  /** Stable machine-readable code. */
  readonly code = "ZP_TINYUFO_RANGE" as const;

  constructor(message: string) {
    super(message);
    this.name = "TinyUfoRangeError";
  }
}

/** The largest weight one item may carry (weights are stored as unsigned 32-bit integers). */
export const MAX_ITEM_WEIGHT = 0xffff_ffff;

/** Throws unless `value` is an integer in `min..max`. */
export function assertIntegerInRange(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TinyUfoRangeError(`${what} must be an integer in ${min}..${max}, got ${value}`);
  }
}
