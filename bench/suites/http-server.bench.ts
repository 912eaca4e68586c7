// Hello-world throughput of @zp/http-server beside node:http and nginx, measured with wrk.
// Each server runs in its own process pinned to CPU 0 (wrk runs on CPU 1), so its CPU
// time per request can be read from /proc/<pid>/stat. Rounds are interleaved so drift on
// a shared machine hits every contender alike.
//
// Environment: ZP_HTTP_BENCH_SECONDS (10), ZP_HTTP_BENCH_CONNECTIONS (50),
// ZP_HTTP_BENCH_ROUNDS (3), ZP_HTTP_BENCH_WARMUP_SECONDS (3), ZP_HTTP_BENCH_NICE (unset;
// e.g. -10 runs servers and wrk at a higher priority, as root, on a shared machine).
import { spawnSync } from "node:child_process";
import { printTable, writeResults } from "../lib/compare.js";
import { hasNginx, startNginx, startNodeServer, type RunningServer } from "./http-server/contenders.js";
import { cpuMicros, runWrk, type WrkResult } from "./http-server/measure.js";

const SECONDS = Number(process.env.ZP_HTTP_BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.ZP_HTTP_BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.ZP_HTTP_BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.ZP_HTTP_BENCH_WARMUP_SECONDS ?? 3);
const SERVER_CPU = "0";
const CLIENT_CPU = "1";

interface Sample extends WrkResult {
  contender: string;
  round: number;
  cpuUsPerReq: number;
}

if (spawnSync("wrk", ["--version"], { stdio: "ignore" }).error !== undefined) {
  console.error("wrk is not installed (apt-get install -y wrk): skipping the http-server benchmark");
  process.exit(0);
}

const starters: { name: string; start: (port: number) => Promise<RunningServer> }[] = [
  { name: "@zp/http-server", start: (port) => startNodeServer("ours", "@zp/http-server", port, SERVER_CPU) },
  { name: "node:http", start: (port) => startNodeServer("node", "node:http", port, SERVER_CPU) },
];
if (hasNginx()) starters.push({ name: "nginx", start: (port) => startNginx(port, SERVER_CPU) });
else console.log("nginx is not installed (apt-get install -y nginx): the nginx row is skipped");

const samples: Sample[] = [];
let port = 18_080;
for (let round = 1; round <= ROUNDS; round++) {
  // rotate the order each round so no contender always runs first (or last)
  const order = starters.map((_, i) => starters[(i + round - 1) % starters.length]!);
  for (const starter of order) {
    const server = await starter.start(port++);
    const url = `http://127.0.0.1:${server.port}/`;
    try {
      if (WARMUP > 0) await runWrk(url, WARMUP, CONNECTIONS, CLIENT_CPU);
      const before = cpuMicros(server.pid);
      const r = await runWrk(url, SECONDS, CONNECTIONS, CLIENT_CPU);
      const cpu = cpuMicros(server.pid) - before;
      const sample = { ...r, contender: server.name, round, cpuUsPerReq: cpu / r.requests };
      samples.push(sample);
      console.log(
        `round ${round} ${server.name}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ` +
          `${sample.cpuUsPerReq.toFixed(1)} µs CPU/req${r.errors ? ` (${r.errors})` : ""}`,
      );
    } finally {
      await server.stop();
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const names = starters.map((s) => s.name);
const oursName = names[0]!;
/** Median over rounds of ours/theirs (each round's contenders ran back to back, under the same load). */
function roundRatio(theirs: string, pick: (s: Sample) => number, oursOverTheirs: boolean): number {
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const a = samples.find((s) => s.round === round && s.contender === oursName);
    const b = samples.find((s) => s.round === round && s.contender === theirs);
    if (a !== undefined && b !== undefined) ratios.push(oursOverTheirs ? pick(a) / pick(b) : pick(b) / pick(a));
  }
  return median(ratios);
}
const summary = names.map((name) => {
  const mine = samples.filter((s) => s.contender === name);
  return {
    name,
    reqPerSec: median(mine.map((s) => s.reqPerSec)),
    p50Ms: median(mine.map((s) => s.p50Ms)),
    p99Ms: median(mine.map((s) => s.p99Ms)),
    cpuUsPerReq: median(mine.map((s) => s.cpuUsPerReq)),
    reqPerSecRatio: name === oursName ? 1 : roundRatio(name, (s) => s.reqPerSec, true),
    cpuRatio: name === oursName ? 1 : roundRatio(name, (s) => s.cpuUsPerReq, false),
  };
});
// "req/s per CPU" is what one fully used CPU would serve (1 s / CPU time per request): on a
// shared machine wrk is often the bottleneck, and then req/s hides the servers' costs.
const rows: string[][] = [
  ["contender", "", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "req/s per CPU", "ours/theirs req/s", "ours/theirs req/s per CPU"],
];
for (const s of summary) {
  const isOurs = s.name === oursName;
  rows.push([
    s.name,
    "",
    Math.round(s.reqPerSec).toString(),
    s.p50Ms.toFixed(2),
    s.p99Ms.toFixed(2),
    s.cpuUsPerReq.toFixed(1),
    Math.round(1e6 / s.cpuUsPerReq).toString(),
    isOurs ? "" : `${s.reqPerSecRatio.toFixed(2)}x`,
    isOurs ? "" : `${s.cpuRatio.toFixed(2)}x`,
  ]);
}
printTable(
  `http-server hello world: wrk -c${CONNECTIONS} ${SECONDS}s, ${ROUNDS} rounds (medians; ratios: median of per-round ratios), server on CPU ${SERVER_CPU}`,
  rows,
);
writeResults("http-server", { seconds: SECONDS, connections: CONNECTIONS, rounds: ROUNDS, samples, summary });
