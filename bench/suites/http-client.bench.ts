// Requests per second of @zp/http-client beside undici's Pool.request and node:http with a
// keep-alive Agent: GET / against a local upstream answering `200 hello` (nginx with one
// worker when installed, else node:http in a child process), sequential (1 in flight) and
// concurrent (50 in flight, one keep-alive connection each). The upstream is pinned to CPU 0
// and this process to CPU 1 when `taskset` exists. Rounds interleave the contenders so that
// drift on a shared machine hits all alike; the table shows the median round. The CPU column
// is this process's user + system time per request (the client's own cost, syscalls included),
// which says more than req/s when other work shares the machine.
//
// Environment: ZP_CLIENT_BENCH_MS (3000 per run), ZP_CLIENT_BENCH_ROUNDS (3), ZP_CLIENT_BENCH_CONCURRENCY (50).
import { spawnSync } from "node:child_process";
import { printTable, writeResults } from "../lib/compare.js";
import { measure, nodeHttp, ours, undiciPool, type ClientContender } from "./http-client/contenders.js";
import { hasNginx, startNginx, startNodeUpstream } from "./http-client/upstream.js";

const MS = Number(process.env.ZP_CLIENT_BENCH_MS ?? 3000);
const ROUNDS = Number(process.env.ZP_CLIENT_BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.ZP_CLIENT_BENCH_CONCURRENCY ?? 50);

if (spawnSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" }).status !== 0) console.log("(not pinned: no taskset)");
const upstream = hasNginx() ? await startNginx("0") : await startNodeUpstream("0");
console.log(`upstream: ${upstream.name} on 127.0.0.1:${upstream.port}; ${MS} ms per run, ${ROUNDS} rounds`);

interface Sample {
  mode: string;
  contender: string;
  round: number;
  reqPerSec: number;
  cpuUsPerReq: number;
}
const samples: Sample[] = [];
const modes = [
  { name: "sequential", inFlight: 1 },
  { name: `concurrent (${CONCURRENCY})`, inFlight: CONCURRENCY },
];
const makers: ((port: number, n: number) => ClientContender)[] = [(p) => ours(p), undiciPool, nodeHttp];

try {
  for (const mode of modes) {
    const contenders = makers.map((make) => make(upstream.port, mode.inFlight));
    // Warm-up: JIT and connections.
    for (const c of contenders) await measure(c, mode.inFlight, Math.min(1000, MS / 2));
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? contenders : [...contenders].reverse();
      for (const c of order) {
        const { reqPerSec, cpuUsPerReq } = await measure(c, mode.inFlight, MS);
        samples.push({ mode: mode.name, contender: c.name, round, reqPerSec, cpuUsPerReq });
        console.log(`${mode.name} round ${round} ${c.name}: ${Math.round(reqPerSec)} req/s, ${cpuUsPerReq.toFixed(1)} µs CPU/req`);
      }
    }
    for (const c of contenders) await c.close();
  }
} finally {
  upstream.stop();
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rows: string[][] = [["mode", "contender", "req/s (median)", "min", "max", "ours/theirs", "µs CPU/req", "theirs/ours CPU"]];
const summary: Record<string, Record<string, { reqPerSec: number; cpuUsPerReq: number }>> = {};
for (const mode of modes) {
  const of = (name: string): Sample[] => samples.filter((s) => s.mode === mode.name && s.contender === name);
  const oursRate = median(of("@zp/http-client").map((s) => s.reqPerSec));
  const oursCpu = median(of("@zp/http-client").map((s) => s.cpuUsPerReq));
  summary[mode.name] = {};
  for (const name of ["@zp/http-client", "undici Pool", "node:http Agent"]) {
    const rates = of(name).map((s) => s.reqPerSec);
    const rate = median(rates);
    const cpu = median(of(name).map((s) => s.cpuUsPerReq));
    summary[mode.name]![name] = { reqPerSec: rate, cpuUsPerReq: cpu };
    const isOurs = name === "@zp/http-client";
    rows.push([
      isOurs ? mode.name : "",
      name,
      Math.round(rate).toString(),
      Math.round(Math.min(...rates)).toString(),
      Math.round(Math.max(...rates)).toString(),
      isOurs ? "" : `${(oursRate / rate).toFixed(2)}x`,
      cpu.toFixed(1),
      isOurs ? "" : `${(cpu / oursCpu).toFixed(2)}x`,
    ]);
  }
}
printTable(`http-client (GET / against ${upstream.name})`, rows);
writeResults("http-client", { upstream: upstream.name, ms: MS, rounds: ROUNDS, concurrency: CONCURRENCY, summary, samples });
