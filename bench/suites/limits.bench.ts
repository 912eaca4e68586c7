import { Estimator, KeyedTokenBucket, Rate } from "@zp/limits";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { compare, printTable, writeResults, type Measured } from "../lib/compare.js";

// Counting per client over 1M distinct keys (IPv4-like strings, precomputed, cycled), the
// job of a per-client rate limit. `rate-limiter-flexible`'s `consume` returns a promise, so
// every contender runs a batch of BATCH calls per measured op (theirs awaits each call in
// turn, as a request handler would); the per-call table divides by BATCH.
// RateLimiterMemory is given 60 s windows and a limit never reached, so after the first
// pass every call takes its fastest path (an existing, unexpired record).
const KEYS = 1 << 20;
const BATCH = 1000;
const keys: string[] = new Array<string>(KEYS);
for (let i = 0; i < KEYS; i++) keys[i] = `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;

let cursor = 0;
function nextKey(): string {
  cursor = (cursor + 1) & (KEYS - 1);
  return keys[cursor]!;
}

const estimator = new Estimator(4, 8192);
const rate = new Rate(1000);
const bucket = new KeyedTokenBucket({ capacity: 1e12, refillPerSecond: 1e6 });
const counter = new Map<string, number>();
const limiter = new RateLimiterMemory({ points: 1e12, duration: 60 });

/** A Map counter that starts a new Map every second, the plain-Map equivalent of `Rate`. */
class MapWindowCounter {
  private current = new Map<string, number>();
  previous = new Map<string, number>();
  private start = performance.now();

  observe(key: string): number {
    const now = performance.now();
    if (now - this.start >= 1000) {
      this.previous = this.current;
      this.current = new Map();
      this.start = now;
    }
    const n = (this.current.get(key) ?? 0) + 1;
    this.current.set(key, n);
    return n;
  }
}
const windowCounter = new MapWindowCounter();

let sink = 0;
const consumeBatch = {
  name: "rate-limiter-flexible RateLimiterMemory.consume",
  fn: async () => {
    for (let i = 0; i < BATCH; i++) sink += (await limiter.consume(nextKey())).consumedPoints;
  },
};

const results = await compare("limits", [
  {
    name: `Estimator.incr x${BATCH}`,
    ours: {
      name: "@zp/limits Estimator(4x8192)",
      fn: () => {
        for (let i = 0; i < BATCH; i++) sink += estimator.incr(nextKey());
      },
    },
    theirs: [
      {
        name: "Map counter",
        fn: () => {
          for (let i = 0; i < BATCH; i++) {
            const key = nextKey();
            const n = (counter.get(key) ?? 0) + 1;
            counter.set(key, n);
            sink += n;
          }
        },
      },
      consumeBatch,
    ],
  },
  {
    name: `Rate.observe x${BATCH}`,
    ours: {
      name: "@zp/limits Rate(1 s, 2x4x1024)",
      fn: () => {
        for (let i = 0; i < BATCH; i++) sink += rate.observe(nextKey());
      },
    },
    theirs: [
      {
        name: "Map counter, new Map each second",
        fn: () => {
          for (let i = 0; i < BATCH; i++) sink += windowCounter.observe(nextKey());
        },
      },
      consumeBatch,
    ],
  },
  {
    name: `KeyedTokenBucket.tryTake x${BATCH}`,
    ours: {
      name: "@zp/limits KeyedTokenBucket(4x16384)",
      fn: () => {
        for (let i = 0; i < BATCH; i++) if (bucket.tryTake(nextKey())) sink++;
      },
    },
    theirs: [consumeBatch],
  },
]);

function perCallTable(measured: Measured[]): string[][] {
  const rows = [["case", "contender", "ns/call", "calls/s"]];
  for (const m of measured) {
    const ns = m.nsPerOp / BATCH;
    rows.push([m.case, m.name, ns.toFixed(1), `${((1e9 / ns) / 1e6).toFixed(2)}M`]);
  }
  return rows;
}
printTable("limits: per call", perCallTable(results));

// Memory after inserting every one of the 1M distinct keys once. Typed-array counters live
// outside the JS heap, so the figure is the growth of heapUsed + arrayBuffers; the key
// strings were made beforehand and are not counted. Expect a few hundred KB of noise.
const gc = (globalThis as { gc?: () => void }).gc;
async function used(): Promise<number> {
  // Let pending finalisers and timers settle so garbage from earlier work is gone.
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Heap growth while `build` runs, and the bytes the structure says it holds (ours only). */
async function footprint(build: () => Promise<unknown>): Promise<[number, number | undefined]> {
  const before = await used();
  const kept = await build();
  const after = await used();
  if (kept === undefined) throw new Error("nothing kept");
  const own = (kept as { byteLength?: unknown }).byteLength;
  return [after - before, typeof own === "number" ? own : undefined];
}

async function fillEstimator(): Promise<unknown> {
  const estimator = new Estimator(4, 8192);
  for (const key of keys) estimator.incr(key);
  return estimator;
}
async function fillRate(): Promise<unknown> {
  const rate = new Rate(1000);
  for (const key of keys) rate.observe(key);
  return rate;
}
async function fillKeyedBucket(): Promise<unknown> {
  const bucket = new KeyedTokenBucket({ capacity: 10, refillPerSecond: 1 });
  for (const key of keys) bucket.tryTake(key);
  return bucket;
}
async function fillMap(): Promise<unknown> {
  const map = new Map<string, number>();
  for (const key of keys) map.set(key, (map.get(key) ?? 0) + 1);
  return map;
}
async function fillRateLimiterMemory(): Promise<unknown> {
  const limiter = new RateLimiterMemory({ points: 1e12, duration: 60 });
  for (const key of keys) await limiter.consume(key);
  return limiter;
}

const memory: [string, [number, number | undefined]][] = [
  ["@zp/limits Estimator(4x8192)", await footprint(fillEstimator)],
  ["@zp/limits Rate(1 s, 2x4x1024)", await footprint(fillRate)],
  ["@zp/limits KeyedTokenBucket(4x16384)", await footprint(fillKeyedBucket)],
  ["Map counter", await footprint(fillMap)],
  ["rate-limiter-flexible RateLimiterMemory", await footprint(fillRateLimiterMemory)],
];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
printTable(`limits: memory after ${KEYS} distinct keys${gc ? "" : " (no --expose-gc: rough)"}`, [
  ["structure", "", "measured heap + array buffers", "fixed size"],
  ...memory.map(([name, [measured, own]]) => [name, "", mb(measured), own === undefined ? "grows" : mb(own)]),
]);
writeResults("limits-memory", memory.map(([name, [bytes, fixedBytes]]) => ({ name, bytes, fixedBytes })));
if (sink === -1) console.log(sink);
