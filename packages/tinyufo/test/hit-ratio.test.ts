// Pingora's hit-ratio workload at zipf 1.0 (10k keys, unit weights, cache sized
// 0.5/1/5/10/25% of the keys, read-through on miss), checked against the hit ratios
// Pingora publishes for TinyUFO. Fewer requests than Pingora's 5M keep this quick;
// the cold start then weighs a little more, still well within the 0.5-point margin.
import { describe, expect, it } from "vitest";
import { TinyUfo } from "../src/index.js";
import { SeededRandom, ZipfSampler } from "../src/workload.js";

const KEYS = 10_000;
const REQUESTS = 3_000_000;
const PUBLISHED: [sizeShare: number, hitRatioPercent: number][] = [
  [0.005, 45.26],
  [0.01, 52.35],
  [0.05, 68.89],
  [0.1, 75.98],
  [0.25, 85.34],
];

function hitRatio(requests: Uint32Array, size: number): number {
  const cache = new TinyUfo<number, true>(size, size, { seed: 0x7f4a7c15 });
  let hits = 0;
  for (let i = 0; i < requests.length; i++) {
    const key = requests[i]!;
    if (cache.get(key) !== undefined) hits++;
    else cache.put(key, true, 1);
  }
  return (hits / requests.length) * 100;
}

describe("hit ratio at zipf 1.0", () => {
  const requests = new ZipfSampler(KEYS, 1.0, new SeededRandom(20_240_229)).fill(new Uint32Array(REQUESTS));

  it.each(PUBLISHED)("cache of %s of the keys lands within 0.5 points of %s percent", (share, published) => {
    const ratio = hitRatio(requests, Math.round(share * KEYS));
    expect(Math.abs(ratio - published)).toBeLessThanOrEqual(0.5);
  });
});
