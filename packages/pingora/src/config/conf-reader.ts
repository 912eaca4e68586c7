import { type ConfPath, describeValue } from "@zp/runtime";
import { unknownMessage } from "./suggest.js";

/** Where problems go: a path relative to the section, and what is wrong there. */
export type IssueSink = (path: ConfPath, message: string) => void;

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Typed reads of a parsed YAML value with problems reported at their path. Every read
 * returns `undefined` (after reporting) when the value is unusable, so validation goes on
 * and every problem of a file is listed at once.
 */
export class ConfReader {
  /** Problems reported so far. */
  count = 0;

  constructor(private readonly sink: IssueSink) {}

  /** Reports a problem at `path`. */
  issue(path: ConfPath, message: string): void {
    this.count++;
    this.sink(path, message);
  }

  /**
   * A mapping whose keys are all in `allowed` (unknown keys are reported, with a
   * suggestion when one is close). Undefined when `value` is not a mapping.
   */
  mapping(value: unknown, path: ConfPath, allowed: readonly string[]): Record<string, unknown> | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.issue(path, `must be a mapping, got ${describeValue(value)}`);
      return undefined;
    }
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map)) {
      if (!allowed.includes(key)) this.issue([...path, key], unknownMessage("unknown key", key, allowed));
    }
    return map;
  }

  /** A list (a single value is not accepted). */
  list(value: unknown, path: ConfPath): unknown[] | undefined {
    if (!Array.isArray(value)) {
      this.issue(path, `must be a list, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** A non-empty string. */
  string(value: unknown, path: ConfPath): string | undefined {
    if (typeof value !== "string" || value.length === 0) {
      this.issue(path, `must be a non-empty string, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** `true` or `false`. */
  boolean(value: unknown, path: ConfPath): boolean | undefined {
    if (typeof value !== "boolean") {
      this.issue(path, `must be true or false, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** An integer in `min..max`. */
  integer(value: unknown, path: ConfPath, min: number, max: number): number | undefined {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
      this.issue(path, `must be an integer ${range}, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** A finite number greater than 0. */
  positive(value: unknown, path: ConfPath): number | undefined {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      this.issue(path, `must be a number > 0, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** One of `choices` (with a suggestion for a near miss). */
  oneOf<T extends string>(value: unknown, path: ConfPath, choices: readonly T[]): T | undefined {
    if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
    const list = choices.join(", ");
    const base = `must be one of ${list}, got ${describeValue(value)}`;
    this.issue(path, typeof value === "string" ? unknownMessage(base, value, choices) : base);
    return undefined;
  }

  /**
   * A duration in milliseconds: an integer (ms) or a string with a unit (`250ms`, `5s`,
   * `2m`, `1h`); at least `min` ms.
   */
  duration(value: unknown, path: ConfPath, min = 1): number | undefined {
    let ms: number | undefined;
    if (typeof value === "number" && Number.isInteger(value)) ms = value;
    else if (typeof value === "string") {
      const m = DURATION.exec(value.trim());
      if (m !== null) ms = Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
    }
    if (ms === undefined || ms < min || ms > 2 ** 31 - 1) {
      this.issue(path, `must be a duration of at least ${min} ms (milliseconds, or a string such as "500ms", "5s", "1m"), got ${describeValue(value)}`);
      return undefined;
    }
    return ms;
  }
}
