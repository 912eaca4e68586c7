/**
 * Raised when a limiter or estimator is built with, or called with, an argument it cannot
 * work with (a non-positive capacity, a negative token count, ...).
 *
 * @example
 * ```ts
 * try {
 *   new TokenBucket({ capacity: 0, refillPerSecond: 1 });
 * } catch (e) {
 *   if (e instanceof LimitsArgumentError) console.log(e.code); // "ZP_LIMITS_BAD_ARGUMENT"
 * }
 * ```
 */
export class LimitsArgumentError extends RangeError {
  /** Stable code for programmatic checks. */
  readonly code = "ZP_LIMITS_BAD_ARGUMENT";

  override get name(): string {
    return "LimitsArgumentError";
  }
}

/** Throws {@link LimitsArgumentError} unless `value` is an integer in `[min, max]`. */
export function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LimitsArgumentError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** Throws {@link LimitsArgumentError} unless `value` is a finite number greater than 0. */
export function requirePositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new LimitsArgumentError(`${name} must be a finite number > 0, got ${value}`);
  }
}

/** Throws {@link LimitsArgumentError} unless `value` is a finite number >= 0. */
export function requireNonNegative(name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new LimitsArgumentError(`${name} must be a finite number >= 0, got ${value}`);
  }
}

/** Throws {@link LimitsArgumentError} unless `n` is a usable token count (finite, >= 0). */
export function requireTokens(n: number): void {
  if (!(n >= 0) || !Number.isFinite(n)) throw new LimitsArgumentError(`token count must be a finite number >= 0, got ${n}`);
}
