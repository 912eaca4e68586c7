/** Stable codes of the errors this package raises. */
export type LruErrorCode = "ZP_LRU_INVALID_WEIGHT" | "ZP_LRU_INVALID_OPTION";

/**
 * Raised when a weight or an option is out of range. `code` is stable and safe to
 * branch on; the message is for people.
 *
 * @example
 * ```ts
 * try {
 *   lru.admit("k", v, -1);
 * } catch (e) {
 *   if (e instanceof LruError && e.code === "ZP_LRU_INVALID_WEIGHT") ...
 * }
 * ```
 */
export class LruError extends RangeError {
  /** What was wrong, e.g. `ZP_LRU_INVALID_WEIGHT`. */
  readonly code: LruErrorCode;

  constructor(code: LruErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  override get name(): string {
    return "LruError";
  }
}

/** Largest weight one entry may have; weights live in a Uint32Array. */
export const MAX_WEIGHT = 0xffff_ffff;

/** Throws unless `weight` is an integer in [0, 2^32 - 1]. */
export function invalidWeight(weight: unknown): never {
  throw new LruError("ZP_LRU_INVALID_WEIGHT", `weight must be an integer in [0, ${MAX_WEIGHT}], got ${String(weight)}`);
}

/** Throws an option error naming the option and what it must be. */
export function invalidOption(name: string, must: string, got: unknown): never {
  throw new LruError("ZP_LRU_INVALID_OPTION", `option ${name} must be ${must}, got ${String(got)}`);
}
