// Hit ratio of TinyUFO beside plain LRUs on Pingora's workload: 10k keys drawn from a
// zipf distribution, unit weights, read-through on miss, caches of 0.5..25% of the keys.
// Pingora publishes TinyUFO at zipf 1.0: 45.26 / 52.35 / 68.89 / 75.98 / 85.34 %.
// ZP_HIT_RATIO_REQUESTS overrides the request count (default 5M, as Pingora's).
import { Lru } from "@zp/lru";
import { TinyUfo } from "@zp/tinyufo";
import { SeededRandom, ZipfSampler } from "@zp/tinyufo/workload";
import { LRUCache } from "lru-cache";
import { printTable, writeResults } from "../lib/compare.js";

const KEYS = 10_000;
const REQUESTS = Number(process.env.ZP_HIT_RATIO_REQUESTS ?? 5_000_000);
const EXPONENTS = [0.9, 1.0, 1.05, 1.1, 1.5];
const SIZE_SHARES = [0.005, 0.01, 0.05, 0.1, 0.25];
const PUBLISHED_AT_1: Record<number, number> = { 0.005: 45.26, 0.01: 52.35, 0.05: 68.89, 0.1: 75.98, 0.25: 85.34 };

type Policy = (requests: Uint32Array, size: number) => number;

function tinyUfo(requests: Uint32Array, size: number): number {
  const cache = new TinyUfo<number, true>(size, size, { seed: 0x7f4a7c15 });
  let hits = 0;
  for (let i = 0; i < requests.length; i++) {
    const key = requests[i]!;
    if (cache.get(key) !== undefined) hits++;
    else cache.put(key, true, 1);
  }
  return hits;
}

function tinyUfoCompact(requests: Uint32Array, size: number): number {
  const cache = TinyUfo.compact<number, true>(size, size, 0x7f4a7c15);
  let hits = 0;
  for (let i = 0; i < requests.length; i++) {
    const key = requests[i]!;
    if (cache.get(key) !== undefined) hits++;
    else cache.put(key, true, 1);
  }
  return hits;
}

function zpLru(requests: Uint32Array, size: number): number {
  const cache = new Lru<number, true>({ limit: size, capacity: size + 1 });
  let hits = 0;
  for (let i = 0; i < requests.length; i++) {
    const key = requests[i]!;
    if (cache.get(key) !== undefined) hits++;
    else cache.set(key, true);
  }
  return hits;
}

function lruCache(requests: Uint32Array, size: number): number {
  const cache = new LRUCache<number, true>({ max: size });
  let hits = 0;
  for (let i = 0; i < requests.length; i++) {
    const key = requests[i]!;
    if (cache.get(key) !== undefined) hits++;
    else cache.set(key, true);
  }
  return hits;
}

const policies: [string, Policy][] = [
  ["@zp/tinyufo", tinyUfo],
  ["@zp/tinyufo compact", tinyUfoCompact],
  ["@zp/lru", zpLru],
  ["lru-cache", lruCache],
];

const percent = (hits: number) => (hits / REQUESTS) * 100;
const rows: string[][] = [["zipf, cache size", ...policies.map(([name]) => name), "pingora TinyUFO", "ours - pingora"]];
const results: { exponent: number; share: number; policy: string; hitRatio: number }[] = [];

for (const exponent of EXPONENTS) {
  const requests = new ZipfSampler(KEYS, exponent, new SeededRandom(20_240_229)).fill(new Uint32Array(REQUESTS));
  for (const share of SIZE_SHARES) {
    const size = Math.round(share * KEYS);
    const ratios = policies.map(([policy, run]) => {
      const hitRatio = percent(run(requests, size));
      results.push({ exponent, share, policy, hitRatio });
      return hitRatio;
    });
    const published = exponent === 1 ? PUBLISHED_AT_1[share] : undefined;
    rows.push([
      `${exponent.toFixed(2)}, ${(share * 100).toFixed(1)}%`,
      ...ratios.map((r) => `${r.toFixed(2)}%`),
      published === undefined ? "" : `${published.toFixed(2)}%`,
      published === undefined ? "" : `${(ratios[0]! - published).toFixed(2)}pp`,
    ]);
  }
}

printTable(`tinyufo-hit-ratio (${KEYS} keys, ${REQUESTS} requests)`, rows);
writeResults("tinyufo-hit-ratio", results);
