/** The command-line options of a server (Pingora's `Opt`). */
export interface ServerArgs {
  /** `-c, --conf <file>`: the YAML configuration file. */
  conf: string | null;
  /** `-t, --test`: validate the configuration and exit. */
  test: boolean;
  /**
   * `-u, --upgrade`: accepted for compatibility. Here the running server starts its successor
   * itself on SIGQUIT, so the flag is never needed.
   */
  upgrade: boolean;
  /** `-d, --daemon`: run in the background (overrides `daemon: false` in the file). */
  daemon: boolean;
  /** `-h, --help`: print the usage and exit. */
  help: boolean;
  /** `--nocapture`: accepted and ignored, as Pingora does. */
  nocapture: boolean;
  /** Operands (arguments that are not options), and everything after `--`. */
  rest: string[];
}

/** The usage text printed for `--help`. */
export const SERVER_USAGE = `Usage: <server> [options]

Options:
  -c, --conf <file>  the YAML server configuration file
  -t, --test         validate the configuration and exit
  -u, --upgrade      accepted for compatibility (SIGQUIT starts the successor)
  -d, --daemon       run in the background
  -h, --help         print this help and exit
`;
