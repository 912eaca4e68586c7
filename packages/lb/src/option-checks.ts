import { LbError, LbErrorType } from "./lb-error.js";

/**
 * @internal Checks an integer option: `fallback` when unset, else it must be an integer in
 * `min..max`.
 * @throws {@link LbError} `ZP_LB_INVALID_OPTION` otherwise.
 */
export function integerOption(value: number | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LbError(LbErrorType.InvalidOption, `${name} must be an integer ${min}..${max}, got ${String(value)}`);
  }
  return value;
}
