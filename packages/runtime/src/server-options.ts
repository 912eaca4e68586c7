import type { ServerArgs } from "./args/server-args.js";
import type { ServerConf } from "./conf/server-conf.js";
import type { RestartBackoffOptions } from "./lifecycle/restart-backoff.js";
import type { BoundAddress, ProcessRole } from "./service.js";

/** Options of a {@link Server}. */
export interface ServerOptions {
  /**
   * The configuration: a validated one (from {@link loadServerConf}) or a partial object that
   * is validated here, defaults filled. Default: all defaults.
   */
  conf?: Partial<ServerConf>;
  /** Parsed command-line options; `daemon` overrides the configuration's. */
  args?: Partial<ServerArgs>;
  /**
   * The program the successor runs on SIGQUIT. Default: this process's own command line
   * (node, its flags, the script and its arguments). It must be a program that runs this
   * runtime, since it takes the listeners over the IPC channel.
   */
  upgradeCommand?: { command: string; args?: readonly string[]; env?: Readonly<Record<string, string>> };
  /** How long a worker, a successor or a daemon may take to serve (default 60 s). */
  startTimeoutMs?: number;
  /** Restart backoff of dead workers. */
  workerRestart?: RestartBackoffOptions;
  /**
   * Exit the process when the server stops (code 0) or fails to start (code 1), as Pingora's
   * `run_forever` does. Default `true`. With `false`, `run()` settles instead.
   */
  exitProcess?: boolean;
}

/** What {@link Server.ready} resolves with. */
export interface ReadyInfo {
  /** This process's pid. */
  readonly pid: number;
  /** The kind of process this is. */
  readonly role: ProcessRole;
  /** Worker number in a worker, `0` otherwise. */
  readonly workerId: number;
  /** Whether this process took its listeners over from an upgrading one. */
  readonly upgraded: boolean;
  /** Where the listeners are bound, in the order the services declared them. */
  readonly addresses: readonly BoundAddress[];
  /** The worker pids (primary only). */
  readonly workers: readonly number[];
}

/** Kinds of shutdown: graceful (SIGTERM) or fast (SIGINT). */
export type ShutdownKind = "graceful" | "fast";
