import { isIPv4, isIPv6 } from "node:net";
import { type ConfPath, describeValue } from "./conf-path.js";
import type { ConfIssue } from "./server-conf-error.js";

/** Collects issues while a document is checked. */
export type IssueSink = (path: ConfPath, message: string) => void;

/**
 * Checks one value: returns it (normalised) when it is valid, otherwise reports an issue at
 * `path` and returns `undefined`.
 */
export type Check<T> = (value: unknown, path: ConfPath, report: IssueSink) => T | undefined;

function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/** An integer of at least `min`. */
export function integerAtLeast(min: number, wording: string): Check<number> {
  return (value, path, report) => {
    if (isInteger(value) && value >= min) return value;
    report(path, `must be ${wording}, got ${describeValue(value)}`);
    return undefined;
  };
}

/** A positive integer (1, 2, ...). */
export const positiveInteger = integerAtLeast(1, "a positive integer");
/** A non-negative integer (0, 1, ...). */
export const nonNegativeInteger = integerAtLeast(0, "a non-negative integer");

/** `true` or `false` (YAML 1.2: `yes`/`no` are strings, and rejected). */
export const boolean: Check<boolean> = (value, path, report) => {
  if (typeof value === "boolean") return value;
  report(path, `must be true or false, got ${describeValue(value)}`);
  return undefined;
};

/** A string with at least one non-blank character. */
export const nonEmptyString: Check<string> = (value, path, report) => {
  if (typeof value === "string" && value.trim() !== "") return value;
  report(path, `must be a non-empty string, got ${describeValue(value)}`);
  return undefined;
};

/** Exactly `expected`. */
export function exactly<T extends string | number>(expected: T, wording: string): Check<T> {
  return (value, path, report) => {
    if (value === expected) return expected;
    report(path, `must be ${wording}, got ${describeValue(value)}`);
    return undefined;
  };
}

/** `null` (written `~`, `null` or left empty) stands for "not set". */
export function optional<T>(check: Check<T>): Check<T | null> {
  return (value, path, report) => (value === null ? null : check(value, path, report));
}

/** A list whose items all pass `item`; the issues name each bad item's index. */
export function listOf<T>(item: Check<T>, wording: string): Check<T[]> {
  return (value, path, report) => {
    if (!Array.isArray(value)) {
      report(path, `must be a list of ${wording}, got ${describeValue(value)}`);
      return undefined;
    }
    const out: T[] = [];
    let ok = true;
    value.forEach((v, i) => {
      const checked = item(v, [...path, i], report);
      if (checked === undefined) ok = false;
      else out.push(checked);
    });
    return ok ? out : undefined;
  };
}

/** An IPv4 address in dotted form. */
export const ipv4Address: Check<string> = (value, path, report) => {
  if (typeof value === "string" && isIPv4(value)) return value;
  report(path, `must be an IPv4 address, got ${describeValue(value)}`);
  return undefined;
};

/** An IPv6 address. */
export const ipv6Address: Check<string> = (value, path, report) => {
  if (typeof value === "string" && isIPv6(value)) return value;
  report(path, `must be an IPv6 address, got ${describeValue(value)}`);
  return undefined;
};

/** A sink that appends to `issues`. */
export function collectInto(issues: ConfIssue[]): IssueSink {
  return (path, message) => issues.push({ path, message });
}
