import { didYouMean } from "../conf/did-you-mean.js";
import type { ServerArgs } from "./server-args.js";
import { ServerArgsError } from "./server-args-error.js";

type Flag = "test" | "upgrade" | "daemon" | "help" | "nocapture";

const longFlags: Record<string, Flag> = { test: "test", upgrade: "upgrade", daemon: "daemon", help: "help", nocapture: "nocapture" };
const shortFlags: Record<string, Flag> = { t: "test", u: "upgrade", d: "daemon", h: "help" };
const longNames = ["--conf", ...Object.keys(longFlags).map((f) => `--${f}`)];

/**
 * Parses a server's command line (without the node executable and script, i.e.
 * `process.argv.slice(2)`): `-c/--conf <file>` (also `--conf=<file>`, `-c<file>`),
 * `-t/--test`, `-u/--upgrade`, `-d/--daemon`, `-h/--help`, `--nocapture`; short flags combine
 * (`-tc conf.yaml`); `--` ends the options. Throws {@link ServerArgsError} for unknown options
 * (with a suggestion) and a missing file name.
 */
export function parseServerArgs(argv: readonly string[]): ServerArgs {
  const args: ServerArgs = { conf: null, test: false, upgrade: false, daemon: false, help: false, nocapture: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      args.rest.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq === -1 ? undefined : arg.slice(eq + 1);
      if (name === "conf") {
        const value = inline ?? argv[++i];
        args.conf = confValue(value, "--conf");
      } else if (Object.hasOwn(longFlags, name)) {
        if (inline !== undefined) throw new ServerArgsError(`option --${name} takes no value, got "${inline}"`);
        args[longFlags[name]!] = true;
      } else {
        const suggestion = didYouMean(`--${name}`, longNames);
        throw new ServerArgsError(`unknown option "--${name}"${suggestion === undefined ? "" : `, did you mean "${suggestion}"?`}`);
      }
    } else if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        if (letter === "c") {
          const attached = arg.slice(j + 1);
          args.conf = confValue(attached !== "" ? attached : argv[++i], "-c");
          break;
        }
        const flag = shortFlags[letter];
        if (flag === undefined) throw new ServerArgsError(`unknown option "-${letter}" in "${arg}"`);
        args[flag] = true;
      }
    } else {
      args.rest.push(arg);
    }
  }
  return args;
}

function confValue(value: string | undefined, option: string): string {
  if (value === undefined || value === "" || value.startsWith("-")) throw new ServerArgsError(`option ${option} needs a configuration file path`);
  return value;
}
