import { integerOption } from "../option-checks.js";
import type { CommonCheckOptions } from "./health-check.js";

/** @internal Shared check options with defaults filled in. */
export interface ResolvedCommon {
  readonly timeoutMs: number;
  readonly consecutiveSuccess: number;
  readonly consecutiveFailure: number;
  readonly port: number | undefined;
}

/** @internal Checks and completes the options every check shares. */
export function resolveCommon(options: CommonCheckOptions): ResolvedCommon {
  return {
    timeoutMs: integerOption(options.timeoutMs, 1000, "timeoutMs", 1, 2 ** 31 - 1),
    consecutiveSuccess: integerOption(options.consecutiveSuccess, 1, "consecutiveSuccess", 1, 1_000_000),
    consecutiveFailure: integerOption(options.consecutiveFailure, 1, "consecutiveFailure", 1, 1_000_000),
    port: options.port === undefined ? undefined : integerOption(options.port, 0, "port", 1, 65535),
  };
}
