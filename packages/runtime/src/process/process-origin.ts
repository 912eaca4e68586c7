/** How this process came to run: started by hand, or by another process of the server. */
export type ProcessOrigin = "launch" | "worker" | "successor" | "daemon";

const ORIGIN_ENV = "ZP_RUNTIME_ORIGIN";
const WORKER_ID_ENV = "ZP_RUNTIME_WORKER_ID";

let cached: { origin: ProcessOrigin; workerId: number } | undefined;

/**
 * How this process was started. Read once from the environment and then removed from it,
 * so that programs the services spawn do not mistake themselves for server processes.
 */
export function processOrigin(): { origin: ProcessOrigin; workerId: number } {
  if (cached === undefined) {
    const value = process.env[ORIGIN_ENV];
    const origin: ProcessOrigin = value === "worker" || value === "successor" || value === "daemon" ? value : "launch";
    const workerId = Number.parseInt(process.env[WORKER_ID_ENV] ?? "0", 10);
    cached = { origin, workerId: Number.isSafeInteger(workerId) && workerId >= 0 ? workerId : 0 };
    delete process.env[ORIGIN_ENV];
    delete process.env[WORKER_ID_ENV];
  }
  return cached;
}

/** The environment for a process this one starts as a worker, successor or daemon. */
export function childEnv(origin: Exclude<ProcessOrigin, "launch">, workerId = 0, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, [ORIGIN_ENV]: origin };
  if (origin === "worker") env[WORKER_ID_ENV] = String(workerId);
  else delete env[WORKER_ID_ENV];
  return env;
}

/** A program to run: executable and arguments. */
export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The command line that started this process (node, its flags such as `--import tsx`, the
 * script and its arguments): workers, a successor and a daemon run the same program.
 */
export function selfCommand(): Command {
  const script = process.argv[1];
  if (script === undefined) throw new Error("the server must run from a script file to start workers, a successor or a daemon");
  return { command: process.execPath, args: [...process.execArgv, script, ...process.argv.slice(2)] };
}
