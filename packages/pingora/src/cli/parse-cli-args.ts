import { type HostPort, parseHostPort } from "../config/host-port.js";
import { PingoraError } from "../pingora-error.js";
import type { CliCommand, ReverseProxyCommand } from "./cli-command.js";
import { type OptionSpec, type ParsedOptions, parseOptions } from "./option-parser.js";

const MAIN_OPTIONS: readonly OptionSpec[] = [
  { name: "conf", short: "c", value: true },
  { name: "test", short: "t" },
  { name: "daemon", short: "d" },
  { name: "upgrade", short: "u" },
  { name: "nocapture" },
  { name: "help", short: "h" },
  { name: "version", short: "V" },
  { name: "demo" },
  { name: "listen", value: true },
  { name: "admin", value: true },
];

const REVERSE_PROXY_OPTIONS: readonly OptionSpec[] = [
  { name: "from", value: true },
  { name: "to", value: true, repeat: true },
  { name: "lb", value: true },
  { name: "tls-cert", value: true },
  { name: "tls-key", value: true },
  { name: "health-path", value: true },
  { name: "admin", value: true },
  { name: "retries", value: true },
  { name: "access-log", value: true },
  { name: "help", short: "h" },
];

const COMMANDS = ["reverse-proxy"];

function usage(message: string): PingoraError {
  return new PingoraError("ZP_CLI_USAGE", message);
}

function address(options: ParsedOptions, name: string, fallback: HostPort, defaultHost: string): HostPort {
  const value = options.values.get(name);
  if (value === undefined) return fallback;
  const parsed = parseHostPort(String(value), defaultHost, 0);
  if (typeof parsed === "string") throw usage(`--${name} ${parsed}`);
  return parsed;
}

function text(options: ParsedOptions, name: string): string | undefined {
  const value = options.values.get(name);
  return typeof value === "string" ? value : undefined;
}

function reverseProxy(argv: readonly string[]): CliCommand {
  const o = parseOptions(argv, REVERSE_PROXY_OPTIONS);
  if (o.values.has("help")) return { kind: "help", topic: "reverse-proxy" };
  if (o.operands.length > 0) throw usage(`unexpected argument "${o.operands[0]}"`);
  const to = (o.values.get("to") as string[] | undefined) ?? [];
  if (to.length === 0) throw usage("reverse-proxy needs at least one --to <addr:port>");
  const tlsCert = text(o, "tls-cert");
  const tlsKey = text(o, "tls-key");
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw usage("--tls-cert and --tls-key go together");
  const retriesText = text(o, "retries") ?? "3";
  const retries = Number(retriesText);
  if (!/^\d+$/.test(retriesText) || retries > 100) throw usage(`--retries must be an integer in 0..100, got "${retriesText}"`);
  const command: ReverseProxyCommand = {
    kind: "reverse-proxy",
    from: address(o, "from", { host: "0.0.0.0", port: 8080 }, "0.0.0.0"),
    to,
    lb: text(o, "lb") ?? "round_robin",
    tlsCert,
    tlsKey,
    healthPath: text(o, "health-path"),
    admin: o.values.has("admin") ? address(o, "admin", { host: "127.0.0.1", port: 9091 }, "127.0.0.1") : undefined,
    retries,
    accessLog: text(o, "access-log") ?? "off",
  };
  return command;
}

/**
 * Parses the `zp` command line (without node and the script). Throws a `ZP_CLI_USAGE`
 * {@link PingoraError} when it makes no sense.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const o = parseOptions(argv, MAIN_OPTIONS, true);
  const [command, ...rest] = o.operands;
  if (command !== undefined) {
    if (command === "reverse-proxy") {
      if (o.values.size > 0) throw usage(`options before "reverse-proxy" are not allowed: put them after it`);
      return reverseProxy(rest);
    }
    const hint = COMMANDS.find((c) => c.startsWith(command.slice(0, 3)));
    throw usage(`unknown command "${command}"${hint === undefined ? "" : `, did you mean "${hint}"?`}`);
  }
  if (o.values.has("help")) return { kind: "help", topic: "zp" };
  if (o.values.has("version")) return { kind: "version" };
  const demo = o.values.has("demo");
  const conf = text(o, "conf");
  if (demo && conf !== undefined) throw usage("--demo and --conf cannot be combined");
  if (!demo) {
    for (const name of ["listen", "admin"]) if (o.values.has(name)) throw usage(`--${name} goes with --demo (a configuration file says where to listen)`);
  }
  if (demo) {
    for (const name of ["test", "daemon"]) if (o.values.has(name)) throw usage(`--${name} goes with --conf`);
    const admin = text(o, "admin") === "off" ? false : address(o, "admin", { host: "127.0.0.1", port: 9091 }, "127.0.0.1");
    return { kind: "demo", listen: address(o, "listen", { host: "0.0.0.0", port: 8080 }, "0.0.0.0"), admin };
  }
  if (conf === undefined) {
    if (o.values.has("test")) throw usage("-t needs a configuration file: zp -t --conf zp.yaml");
    throw usage("nothing to do: give --conf <file>, --demo or reverse-proxy");
  }
  return { kind: "conf", file: conf, test: o.values.has("test"), daemon: o.values.has("daemon"), upgrade: o.values.has("upgrade") };
}
