import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const serveScript = fileURLToPath(new URL("../child/serve.ts", import.meta.url));

/** The JSON line the test server prints when it serves. */
export interface ReadyEvent {
  event: "ready";
  pid: number;
  role: "single" | "primary" | "worker";
  upgraded: boolean;
  addresses: { kind: "tcp"; address: string; port: number }[];
  workers: number[];
}

/** A server started by a test, with everything it printed. */
export interface ServerProcess {
  readonly proc: ChildProcess;
  readonly lines: string[];
  stderr(): string;
  /** Resolves with the first stdout line (parsed JSON) matching `match`, past or future. */
  waitForEvent<T = Record<string, unknown>>(match: (event: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const groups = new Set<number>();
const dirs = new Set<string>();

/** Remembers a process group to kill when the test ends (successors run in their own). */
export function trackProcessGroup(pid: number): void {
  groups.add(pid);
}

/** Kills every process group a test started and removes its temporary directories. */
export function cleanUp(): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  groups.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/** A fresh temporary directory, removed by {@link cleanUp}. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "zp-runtime-"));
  dirs.add(dir);
  return dir;
}

/** Writes a configuration file into `dir` and returns its path. */
export function writeConf(dir: string, yaml: string, name = "conf.yaml"): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** Runs a script from test/child with the TypeScript loader, in its own process group. */
export function startScript(script: string, args: readonly string[], env: Record<string, string> = {}): ServerProcess {
  const proc = spawn(process.execPath, ["--conditions=@zp/source", "--import", "tsx", script, ...args], {
    cwd: packageDir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  trackProcessGroup(proc.pid!);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = "";
  let errText = "";
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    partial += chunk;
    const parts = partial.split("\n");
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      const event = parse(line);
      if (event?.event === "ready" && event.upgraded === true) trackProcessGroup(event.pid as number);
    }
    for (const wake of waiters) wake();
  });
  proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => (errText += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    proc,
    lines,
    stderr: () => errText,
    exited,
    waitForEvent<T>(match: (event: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          for (const line of lines) {
            const event = parse(line);
            if (event !== undefined && match(event)) {
              cleanup();
              resolve(event as T);
              return true;
            }
          }
          return false;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching event within ${timeoutMs} ms; stdout:\n${lines.join("\n")}\nstderr:\n${errText}`));
        }, timeoutMs);
        const wake = (): void => void check();
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        if (!check()) waiters.add(wake);
      });
    },
  };
}

/** Starts the test server (test/child/serve.ts) with these arguments. */
export function startServer(args: readonly string[], env: Record<string, string> = {}): ServerProcess {
  return startScript(serveScript, args, env);
}

/** Waits for the server's ready line. */
export function waitReady(server: ServerProcess, match: (e: ReadyEvent) => boolean = () => true, timeoutMs?: number): Promise<ReadyEvent> {
  return server.waitForEvent<ReadyEvent>((e) => e.event === "ready" && match(e as unknown as ReadyEvent), timeoutMs);
}

function parse(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Whether a process is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `check()` is true, polling every 50 ms; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
