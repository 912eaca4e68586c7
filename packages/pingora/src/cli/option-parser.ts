import { unknownMessage } from "../config/suggest.js";
import { PingoraError } from "../pingora-error.js";

/** One option a command accepts. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `conf`. */
  readonly name: string;
  /** One-letter alias, e.g. `c`. */
  readonly short?: string;
  /** Whether it takes a value (`--conf file`, `--conf=file`, `-c file`, `-cfile`). */
  readonly value?: boolean;
  /** Whether it may be given several times (values collected in order). */
  readonly repeat?: boolean;
}

/** Parsed options: flags as `true`, values as strings (lists for repeatable ones), plus operands. */
export interface ParsedOptions {
  readonly values: Map<string, string | string[] | true>;
  readonly operands: string[];
}

function usage(message: string): PingoraError {
  return new PingoraError("ZP_CLI_USAGE", message);
}

/**
 * Parses `argv` against `specs`. Short flags combine (`-tc zp.yaml`), `--` ends the
 * options. With `stopAtOperand`, parsing stops at the first operand (a sub-command) and
 * the rest is returned in `operands`. Throws a `ZP_CLI_USAGE` {@link PingoraError} for an
 * unknown option (with a suggestion), a missing value or a repeated option.
 */
export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[], stopAtOperand = false): ParsedOptions {
  const values = new Map<string, string | string[] | true>();
  const operands: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short !== undefined).map((s) => [s.short!, s]));
  const set = (spec: OptionSpec, value: string | true): void => {
    if (spec.repeat === true) {
      const list = (values.get(spec.name) as string[] | undefined) ?? [];
      list.push(value as string);
      values.set(spec.name, list);
    } else if (values.has(spec.name)) {
      throw usage(`option --${spec.name} is given twice`);
    } else {
      values.set(spec.name, value);
    }
  };
  const valueFor = (spec: OptionSpec, inline: string | undefined, next: () => string | undefined): string => {
    const value = inline ?? next();
    if (value === undefined || (inline === undefined && value.startsWith("-") && value.length > 1)) throw usage(`option --${spec.name} needs a value`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = (): string | undefined => argv[++i];
    if (arg === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      const spec = byName.get(name);
      if (spec === undefined) throw usage(unknownMessage(`unknown option "--${name}"`, `--${name}`, specs.map((s) => `--${s.name}`)));
      if (spec.value === true) set(spec, valueFor(spec, inline, next));
      else if (inline !== undefined) throw usage(`option --${name} takes no value`);
      else set(spec, true);
    } else if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const spec = byShort.get(arg[j]!);
        if (spec === undefined) throw usage(`unknown option "-${arg[j]}"${arg.length > 2 ? ` in "${arg}"` : ""}`);
        if (spec.value === true) {
          const attached = arg.slice(j + 1);
          set(spec, valueFor(spec, attached === "" ? undefined : attached, next));
          break;
        }
        set(spec, true);
      }
    } else {
      operands.push(arg);
      if (stopAtOperand) {
        operands.push(...argv.slice(i + 1));
        break;
      }
    }
  }
  return { values, operands };
}
