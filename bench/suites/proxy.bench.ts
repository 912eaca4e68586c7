// Reverse-proxy throughput: wrk through nginx, haproxy, http-proxy, @fastify/http-proxy and
// @zp/proxy to one fast upstream (nginx `return 200`, else node:http), and to the upstream
// directly as the baseline. The proxy under test runs alone on CPU 0; wrk and the upstream
// share CPU 1. Every server is its own process, started afresh for each run; the CPU time of
// the proxy's process tree (nginx and haproxy may fork) is read from /proc before and after
// each run. Rounds are interleaved, in a rotated order, so drift on a shared machine hits
// every contender alike; the table shows medians over rounds.
//
// Environment: ZP_PROXY_BENCH_DURATION (10 s), ZP_PROXY_BENCH_CONNECTIONS (50),
// ZP_PROXY_BENCH_ROUNDS (3), ZP_PROXY_BENCH_WARMUP (2 s, not measured),
// ZP_PROXY_BENCH_ONLY (comma-separated, of: direct, nginx, haproxy, http-proxy,
// @fastify/http-proxy, zp),
// ZP_HTTP_BENCH_NICE (e.g. -10: servers and wrk at a higher priority; needs root),
// ZP_PROXY_BENCH_NODE_FLAGS (flags for every node contender, e.g. --max-semi-space-size=64;
// none by default: Node's defaults).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeResults } from "../lib/compare.js";
import { runWrk } from "./http-server/measure.js";
import {
  checkHello,
  hasHaproxy,
  hasNginx,
  startHaproxy,
  startNginxProxy,
  startNodeProxy,
  startUpstream,
} from "./proxy/contenders.js";
import { freePort, killChildrenOnExit, treeCpuMicros, treeRunqueueWaitMs, type Running } from "./proxy/processes.js";
import { countErrors, markdownTable, summarize, type Sample } from "./proxy/report.js";

const SECONDS = Number(process.env.ZP_PROXY_BENCH_DURATION ?? 10);
const NODE_FLAGS = (process.env.ZP_PROXY_BENCH_NODE_FLAGS ?? "").split(/\s+/).filter((f) => f.length > 0);
const CONNECTIONS = Number(process.env.ZP_PROXY_BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.ZP_PROXY_BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.ZP_PROXY_BENCH_WARMUP ?? 2);
const ONLY = (process.env.ZP_PROXY_BENCH_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const PROXY_CPU = "0";
const CLIENT_CPU = "1"; // wrk and the upstream
const BASELINE = "direct (no proxy)";
const REFERENCES = ["nginx", "http-proxy"];

if (spawnSync("wrk", ["--version"], { stdio: "ignore" }).error !== undefined) {
  console.error("wrk is not installed (apt-get install -y wrk): skipping the proxy benchmark");
  process.exit(0);
}
killChildrenOnExit();
const started = Date.now();

const upstream = await startUpstream(await freePort(), CLIENT_CPU);
const upstreamWrong = await checkHello(upstream.port);
if (upstreamWrong !== undefined) throw new Error(`the upstream (${upstream.kind}) ${upstreamWrong}`);

interface Starter {
  name: string;
  start: (port: number) => Promise<Running>;
}
const notes = new Map<string, string>();
const all: (Starter | { name: string; missing: string })[] = [
  { name: BASELINE, start: async () => ({ ...upstream, stop: async () => {} }) },
  hasNginx()
    ? { name: "nginx", start: (port) => startNginxProxy(port, upstream.port, PROXY_CPU) }
    : { name: "nginx", missing: "nginx is not installed (apt-get install -y nginx)" },
  hasHaproxy()
    ? { name: "haproxy", start: (port) => startHaproxy(port, upstream.port, PROXY_CPU) }
    : { name: "haproxy", missing: "haproxy is not installed (apt-get install -y haproxy)" },
  { name: "http-proxy", start: (port) => startNodeProxy("http-proxy", "http-proxy-server.ts", port, upstream.port, PROXY_CPU, NODE_FLAGS) },
  {
    name: "@fastify/http-proxy",
    start: (port) => startNodeProxy("@fastify/http-proxy", "fastify-proxy-server.ts", port, upstream.port, PROXY_CPU, NODE_FLAGS),
  },
  { name: "zp", start: (port) => startNodeProxy("zp", "zp-proxy-server.ts", port, upstream.port, PROXY_CPU, NODE_FLAGS) },
];
const wanted = all.filter((c) => ONLY.length === 0 || ONLY.includes(c.name) || (c.name === BASELINE && ONLY.includes("direct")));
let starters: Starter[] = [];
for (const c of wanted) {
  if ("missing" in c) {
    console.log(`${c.name}: skipped, ${c.missing}`);
    notes.set(c.name, c.missing);
  } else starters.push(c);
}

console.log(
  `upstream: ${upstream.kind} on 127.0.0.1:${upstream.port} (CPU ${CLIENT_CPU}); proxies on CPU ${PROXY_CPU}; ` +
    `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s after ${WARMUP} s of warm-up, ${ROUNDS} rounds` +
    (NODE_FLAGS.length > 0 ? `; node contenders run with ${NODE_FLAGS.join(" ")}` : ""),
);

const samples: Sample[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  // rotate the order each round so no contender always runs first (or last)
  const order = starters.map((_, i) => starters[(i + round - 1) % starters.length]!);
  const disabled = new Set<string>();
  for (const starter of order) {
    const port = await freePort();
    let server: Running;
    try {
      server = await starter.start(port);
    } catch (e) {
      const why = (e as Error).message;
      console.log(`round ${round} ${starter.name}: did not start, skipped from now on\n  ${why.replace(/\n/g, "\n  ")}`);
      notes.set(starter.name, "did not start");
      disabled.add(starter.name);
      continue;
    }
    try {
      const wrong = await checkHello(server.port);
      if (wrong !== undefined) {
        console.log(`round ${round} ${starter.name}: wrong answer, skipped from now on: ${wrong}`);
        notes.set(starter.name, `wrong answer: ${wrong}`);
        disabled.add(starter.name);
        continue;
      }
      const url = `http://127.0.0.1:${server.port}/`;
      if (WARMUP > 0) await runWrk(url, WARMUP, CONNECTIONS, CLIENT_CPU);
      const cpu0 = treeCpuMicros(server.pid);
      const up0 = treeCpuMicros(upstream.pid);
      const wait0 = treeRunqueueWaitMs(server.pid);
      const upWait0 = treeRunqueueWaitMs(upstream.pid);
      const r = await runWrk(url, SECONDS, CONNECTIONS, CLIENT_CPU);
      const cpu = treeCpuMicros(server.pid) - cpu0;
      const up = treeCpuMicros(upstream.pid) - up0;
      const wait = treeRunqueueWaitMs(server.pid) - wait0;
      const upWait = treeRunqueueWaitMs(upstream.pid) - upWait0;
      const sample: Sample = {
        ...r,
        contender: starter.name,
        round,
        cpuUsPerReq: cpu / r.requests,
        upstreamCpuUsPerReq: up / r.requests,
        errorCount: countErrors(r.errors),
        proxyWaitPct: (wait / (r.seconds * 1000)) * 100,
        upstreamWaitPct: (upWait / (r.seconds * 1000)) * 100,
      };
      samples.push(sample);
      console.log(
        `round ${round} ${starter.name}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ` +
          `${sample.cpuUsPerReq.toFixed(1)} µs CPU/req (upstream ${sample.upstreamCpuUsPerReq.toFixed(1)}), ` +
          `waited for a CPU ${Math.round(sample.proxyWaitPct)}% (upstream ${Math.round(sample.upstreamWaitPct)}%)` +
          (r.errors ? `  ⚠ ${r.errors}` : ""),
      );
    } catch (e) {
      console.log(`round ${round} ${starter.name}: failed, skipped from now on: ${(e as Error).message}`);
      notes.set(starter.name, "failed under load");
      disabled.add(starter.name);
    } finally {
      await server.stop();
    }
  }
  starters = starters.filter((s) => !disabled.has(s.name));
}
await upstream.stop();

const names = wanted.map((c) => c.name);
const refs = REFERENCES.filter((ref) => samples.some((s) => s.contender === ref));
const summaries = summarize(samples, names, refs, notes, BASELINE);
const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown CPU";
const versions = {
  node: process.version,
  nginx: (spawnSync("nginx", ["-v"], { encoding: "utf8" }).stderr ?? "").trim().replace(/^nginx version: nginx\//, "") || undefined,
  haproxy: /version (\S+)/.exec(spawnSync("haproxy", ["-v"], { encoding: "utf8" }).stdout ?? "")?.[1],
  wrk: /wrk (\S+)/.exec(spawnSync("wrk", ["--version"], { encoding: "utf8" }).stdout ?? "")?.[1],
};

console.log(
  `\n## proxy: wrk -t1 -c${CONNECTIONS} -d${SECONDS}s, ${ROUNDS} rounds, medians; upstream ${upstream.kind} returning "Hello, World!"\n`,
);
console.log(markdownTable(summaries, refs, BASELINE));
console.log(
  `\nProxy alone on CPU ${PROXY_CPU}, wrk and the upstream on CPU ${CLIENT_CPU} (${cpuModel}); node ${versions.node}` +
    `${NODE_FLAGS.length > 0 ? ` (flags: ${NODE_FLAGS.join(" ")})` : ""}, ` +
    `nginx ${versions.nginx ?? "—"}, haproxy ${versions.haproxy ?? "—"}. CPU µs/req: user+system time of the proxy's ` +
    `process tree per request (* for the baseline: the upstream's own, on CPU ${CLIENT_CPU}); req/s per CPU = 1e6 / CPU µs/req. ` +
    `Ratios: median over rounds of this contender ÷ the reference in the same round (req/s: higher is faster; CPU/req: lower is cheaper). ` +
    `errors: wrk socket errors + non-2xx/3xx responses over all rounds (⚠ = the row is suspect).`,
);
const waits = summaries.filter((s) => s.rounds > 0).map((s) => `${s.name} ${Math.round(s.proxyWaitPct)}%`);
console.log(
  `Time runnable but waiting for a CPU (median share of the run; other processes on the machine cause it — for the ` +
    `baseline also wrk, which shares its CPU — and it lowers req/s and raises latency but hardly CPU µs/req): ${waits.join(", ")}.`,
);
console.log(`\n(${Math.round((Date.now() - started) / 1000)} s)`);

writeResults("proxy", {
  seconds: SECONDS,
  connections: CONNECTIONS,
  rounds: ROUNDS,
  warmupSeconds: WARMUP,
  upstream: upstream.kind,
  cpus: { proxy: PROXY_CPU, wrkAndUpstream: CLIENT_CPU, model: cpuModel },
  versions,
  summary: summaries,
  samples,
});
