import { PingoraError } from "../pingora-error.js";
import { type CliIo, processIo } from "./cli-io.js";
import { packageVersion } from "./package-version.js";
import { parseCliArgs } from "./parse-cli-args.js";
import { runConf } from "./run-conf.js";
import { runDemo } from "./run-demo.js";
import { runReverseProxy } from "./run-reverse-proxy.js";
import { REVERSE_PROXY_USAGE, ZP_USAGE } from "./usage.js";

/**
 * Runs the `zp` command line. Resolves with the exit code for commands that end (help,
 * version, `-t`, errors: 2 for a bad command line, 1 otherwise), or undefined for those
 * that serve until a signal stops them.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number | undefined> {
  try {
    const command = parseCliArgs(argv);
    switch (command.kind) {
      case "help":
        io.out(command.topic === "zp" ? ZP_USAGE : REVERSE_PROXY_USAGE);
        return 0;
      case "version":
        io.out(`zp ${packageVersion()}`);
        return 0;
      case "conf":
        return await runConf(command, io);
      case "demo":
        return await runDemo(command, io);
      case "reverse-proxy":
        return await runReverseProxy(command, io);
    }
  } catch (err) {
    if (err instanceof PingoraError && err.code === "ZP_CLI_USAGE") {
      io.err(`zp: ${err.message}\nRun "zp --help" for usage.`);
      return 2;
    }
    io.err(`zp: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
