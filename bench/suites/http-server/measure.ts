import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { pinned } from "./pinned.js";

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU time (user + system) a process used so far, in microseconds, from /proc/<pid>/stat. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // fields after the command name, which is in parentheses and may hold spaces
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / CLK_TCK;
}

/** What one wrk run reported. */
export interface WrkResult {
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: string;
}

function toMs(value: string, unit: string): number {
  const v = Number(value);
  if (unit === "us") return v / 1000;
  if (unit === "ms") return v;
  if (unit === "s") return v * 1000;
  if (unit === "m") return v * 60_000;
  return Number.NaN;
}

/** Runs wrk (pinned to `cpu`) against `url`; resolves with its numbers. */
export function runWrk(url: string, seconds: number, connections: number, cpu: string): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const [command, args] = pinned(cpu, "wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", url]);
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`wrk exited with ${code}:\n${out}`));
        return;
      }
      const done = /(\d+) requests in ([\d.]+)(m?s)/.exec(out);
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const p50 = /\s50%\s+([\d.]+)(us|ms|s|m)\b/.exec(out);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s|m)\b/.exec(out);
      if (!done || !rps || !p50 || !p99) {
        reject(new Error(`cannot read wrk output:\n${out}`));
        return;
      }
      const errors = [/Socket errors:[^\n]*/.exec(out)?.[0], /Non-2xx or 3xx responses:[^\n]*/.exec(out)?.[0]].filter(Boolean).join("; ");
      resolve({
        requests: Number(done[1]),
        seconds: done[3] === "ms" ? Number(done[2]) / 1000 : Number(done[2]),
        reqPerSec: Number(rps[1]),
        p50Ms: toMs(p50[1]!, p50[2]!),
        p99Ms: toMs(p99[1]!, p99[2]!),
        errors,
      });
    });
  });
}
