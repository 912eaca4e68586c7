import { parseServerArgs } from "./args/parse-server-args.js";
import { SERVER_USAGE } from "./args/server-args.js";
import type { ConfExtensions, ExtensionValues, LoadedServerConf } from "./conf/conf-extension.js";
import { loadServerConf } from "./conf/load-server-conf.js";
import { validateServerConf } from "./conf/validate-server-conf.js";
import { Server } from "./server.js";
import type { ServerOptions } from "./server-options.js";

/** Options of {@link serverFromArgs}: the server's options plus the configuration's extension sections. */
export type ServerFromArgsOptions<E extends ConfExtensions> = Omit<ServerOptions, "conf" | "args"> & {
  /** Extra top-level configuration sections and their validators. */
  extensions?: E;
};

/**
 * Builds a server from its command line, as Pingora's `Server::new(Opt::parse_args())`:
 * parses the options (see {@link parseServerArgs}) and loads `-c <file>` (defaults without
 * one). Like a command-line program it exits the process for `--help` (0), for a bad command
 * line (2), and for `-t`: `configuration test passed` and 0, or the errors and 1. Otherwise a
 * bad configuration throws a `ServerConfError`.
 */
export function serverFromArgs<E extends ConfExtensions = Record<never, never>>(
  argv: readonly string[] = process.argv.slice(2),
  options: ServerFromArgsOptions<E> = {},
): Server<ExtensionValues<E>> {
  let args: ReturnType<typeof parseServerArgs>;
  try {
    args = parseServerArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${SERVER_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(SERVER_USAGE);
    process.exit(0);
  }
  const { extensions, ...serverOptions } = options;
  const confOptions = extensions === undefined ? {} : { extensions };
  let conf: LoadedServerConf<E>;
  try {
    conf = args.conf === null ? validateServerConf({}, confOptions) : loadServerConf(args.conf, confOptions);
  } catch (err) {
    if (!args.test) throw err;
    process.stderr.write(`configuration test failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
  if (args.test) {
    process.stdout.write(`configuration test passed${args.conf === null ? " (defaults)" : `: ${args.conf}`}\n`);
    process.exit(0);
  }
  return new Server<ExtensionValues<E>>({ ...serverOptions, conf, args });
}
