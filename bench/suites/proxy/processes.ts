// Child processes of the proxy benchmark: free ports, waiting for a listener, CPU time of a
// whole process tree (nginx and haproxy may fork), stopping a tree, and killing whatever is
// left when the benchmark exits or is interrupted.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { pinned } from "../http-server/pinned.js";

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;

interface Stat {
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // fields after the command name, which is in parentheses and may hold spaces:
  // [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
}

/** Every live descendant of `root` (children, grandchildren, ...), from a scan of /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = readStat(pid);
    if (st === undefined) continue;
    const list = children.get(st.ppid);
    if (list === undefined) children.set(st.ppid, [pid]);
    else list.push(pid);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/**
 * CPU time (user + system) used so far by `root` and all its descendants, in microseconds.
 * Children that already exited and were reaped count through their parent's cutime/cstime,
 * so a difference of two readings is right even if the tree changed in between.
 */
export function treeCpuMicros(root: number): number {
  let ticks = 0;
  for (const pid of [root, ...descendants(root)]) ticks += readStat(pid)?.ticks ?? 0;
  return (ticks * 1e6) / CLK_TCK;
}

/**
 * Time `root` and its descendants spent runnable but waiting for a CPU (every thread, from
 * /proc/<pid>/task/<tid>/schedstat), in milliseconds: how much other processes on the
 * same CPU held the process back, which a shared machine makes far from zero.
 */
export function treeRunqueueWaitMs(root: number): number {
  let ns = 0;
  for (const pid of [root, ...descendants(root)]) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[1]);
      } catch {
        // thread gone, or no schedstat in this kernel
      }
    }
  }
  return ns / 1e6;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** A process under test, started by {@link startPinned}. */
export interface Running {
  name: string;
  port: number;
  /** Root of the process tree whose CPU time is measured. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Spawns `command args` pinned to `cpu` and resolves once `port` accepts connections.
 * Rejects (with the child's stderr) if the child exits first or nothing listens in time.
 */
export async function startPinned(
  name: string,
  port: number,
  cpu: string,
  command: string,
  args: string[],
  options: { cwd?: string; onStop?: () => void; timeoutMs?: number } = {},
): Promise<Running> {
  const [cmd, argv] = pinned(cpu, command, args);
  const child = spawn(cmd, argv, { cwd: options.cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
    if (stderr.length > 8_000) stderr = stderr.slice(-8_000);
  });
  let exited = false;
  child.once("exit", () => (exited = true));
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  let failure: Error | undefined;
  void spawnError.then((e) => (failure = e));
  const running: Running = { name, port, pid: child.pid ?? -1, stop: () => stopTree(child, options.onStop) };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (failure !== undefined) throw new Error(`${name}: cannot start ${command}: ${failure.message}`);
    if (exited) {
      options.onStop?.();
      throw new Error(`${name} exited before listening on ${port}:\n${stderr.trim()}`);
    }
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      await running.stop();
      throw new Error(`${name}: nothing listens on ${port} after ${options.timeoutMs ?? 20_000} ms:\n${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // keep echoing what the child complains about while it runs
  child.stderr!.on("data", (c: Buffer) => process.stderr.write(`[${name}] ${c.toString()}`));
  return running;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the root; after 3 s, SIGKILL to the root and every descendant still there. */
function stopTree(child: ChildProcess, onStop?: () => void): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    onStop?.();
    return Promise.resolve();
  }
  const tree = [pid, ...descendants(pid)];
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      for (const p of tree) if (alive(p)) process.kill(p, "SIGKILL");
    }, 3_000);
    child.once("exit", () => {
      clearTimeout(timer);
      // a worker whose master died must not outlive the benchmark
      for (const p of tree.slice(1)) if (alive(p)) process.kill(p, "SIGKILL");
      onStop?.();
      resolve();
    });
    child.kill("SIGTERM");
  });
}

let cleanups: (() => void)[] = [];

/** Runs `fn` (synchronously) when the benchmark exits, however it exits. */
export function atExit(fn: () => void): void {
  cleanups.push(fn);
}

/**
 * On exit, SIGINT or SIGTERM: SIGTERM to every process this one started (servers, proxies,
 * their workers, wrk), found by pid in /proc, then the registered cleanups.
 */
export function killChildrenOnExit(): void {
  const killAll = (): void => {
    for (const pid of descendants(process.pid).reverse()) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    const fns = cleanups;
    cleanups = [];
    for (const fn of fns) {
      try {
        fn();
      } catch {
        // best effort
      }
    }
  };
  process.once("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping every child process`);
      killAll();
      process.exit(130);
    });
  }
}
