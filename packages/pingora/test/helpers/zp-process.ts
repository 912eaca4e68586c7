import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const cli = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

/** A `zp` child process started by a test. */
export interface ZpProcess {
  readonly proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first capture of `pattern` in stdout, past or future. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Runs `zp ...args` from the sources (node with the TypeScript loader), in its own process group. */
export function startZp(args: readonly string[], cwd: string = packageDir): ZpProcess {
  const proc = spawn(process.execPath, ["--conditions=@zp/source", "--import", "tsx", cli, ...args], {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(proc);
  let out = "";
  let err = "";
  const waiters = new Set<() => void>();
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const wake of waiters) wake();
  });
  proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("exit", (code, signal) => {
      running.delete(proc);
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const m = pattern.exec(out);
          if (m !== null) {
            done();
            resolve(m[1] ?? m[0]);
          } else if (proc.exitCode !== null || proc.signalCode !== null) {
            done();
            reject(new Error(`zp exited (${proc.exitCode ?? proc.signalCode}) before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Runs `zp ...args` to completion. */
export async function runZp(args: readonly string[], cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const zp = startZp(args, cwd);
  const { code } = await zp.exited;
  return { code, stdout: zp.stdout(), stderr: zp.stderr() };
}

/** Kills whatever a test left running. */
export function killAll(): void {
  for (const proc of running) {
    try {
      process.kill(-proc.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}
