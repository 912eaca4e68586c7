// TinyUFO's get/put speed beside lru-cache (and @zp/lru) on a zipf 1.03 request mix:
// 100k keys, a cache of 10% of them, one precomputed key sequence shared by all.
import { Lru } from "@zp/lru";
import { TinyUfo } from "@zp/tinyufo";
import { SeededRandom, ZipfSampler } from "@zp/tinyufo/workload";
import { LRUCache } from "lru-cache";
import { compare } from "../lib/compare.js";

const KEYS = 100_000;
const SIZE = 10_000;
const SEQUENCE = 1 << 20; // a power of two, so the position wraps with a mask
const MASK = SEQUENCE - 1;

const numbers = new ZipfSampler(KEYS, 1.03, new SeededRandom(1)).fill(new Uint32Array(SEQUENCE));
// Flat strings with their hash already cached by V8, so no contender pays those one-off
// costs for the others (one string object per request, as a proxy would see).
const strings = Array.from(numbers, (k) => Buffer.from(`https://example.com/assets/${k}.js`).toString());
new Set(strings).clear();
const VALUE = { body: "cached" };

/** Builds each contender on first use and warms it with one pass over the sequence. */
function warm<C>(make: () => C, readThrough: (cache: C, i: number) => void): C {
  const cache = make();
  for (let i = 0; i < SEQUENCE; i++) readThrough(cache, i);
  return cache;
}

// --- read-through: get, and put on a miss (one request per call) ---
function readThroughCase(name: string, keys: ArrayLike<number | string>) {
  type K = number | string;
  const ufo = new TinyUfo<K, object>(SIZE, SIZE, { seed: 7 });
  const zp = new Lru<K, object>({ limit: SIZE, capacity: SIZE + 1 });
  const lc = new LRUCache<K, object>({ max: SIZE });
  let a = 0;
  let b = 0;
  let c = 0;
  return {
    name,
    ours: {
      name: "@zp/tinyufo",
      fn: () => {
        const key = keys[a++ & MASK]!;
        if (ufo.get(key) === undefined) ufo.put(key, VALUE, 1);
      },
    },
    theirs: [
      {
        name: "lru-cache",
        fn: () => {
          const key = keys[c++ & MASK]!;
          if (lc.get(key) === undefined) lc.set(key, VALUE);
        },
      },
      {
        name: "@zp/lru",
        fn: () => {
          const key = keys[b++ & MASK]!;
          if (zp.get(key) === undefined) zp.set(key, VALUE);
        },
      },
    ],
  };
}

// --- get only, on caches warmed by a read-through pass (hits and misses as they come) ---
const ufoWarm = warm(
  () => new TinyUfo<number, object>(SIZE, SIZE, { seed: 7 }),
  (cache, i) => {
    if (cache.get(numbers[i]!) === undefined) cache.put(numbers[i]!, VALUE, 1);
  },
);
const lcWarm = warm(
  () => new LRUCache<number, object>({ max: SIZE }),
  (cache, i) => {
    if (cache.get(numbers[i]!) === undefined) cache.set(numbers[i]!, VALUE);
  },
);
const zpWarm = warm(
  () => new Lru<number, object>({ limit: SIZE, capacity: SIZE + 1 }),
  (cache, i) => {
    if (cache.get(numbers[i]!) === undefined) cache.set(numbers[i]!, VALUE);
  },
);

// --- put only: every request is a put ---
const ufoPut = new TinyUfo<number, object>(SIZE, SIZE, { seed: 7 });
const lcPut = new LRUCache<number, object>({ max: SIZE });
const zpPut = new Lru<number, object>({ limit: SIZE, capacity: SIZE + 1 });

let g1 = 0;
let g2 = 0;
let g3 = 0;
let p1 = 0;
let p2 = 0;
let p3 = 0;

await compare("tinyufo", [
  readThroughCase("read-through, zipf 1.03, number keys", numbers),
  readThroughCase("read-through, zipf 1.03, string keys", strings),
  {
    name: "get, zipf 1.03, warmed",
    ours: { name: "@zp/tinyufo", fn: () => ufoWarm.get(numbers[g1++ & MASK]!) },
    theirs: [
      { name: "lru-cache", fn: () => lcWarm.get(numbers[g3++ & MASK]!) },
      { name: "@zp/lru", fn: () => zpWarm.get(numbers[g2++ & MASK]!) },
    ],
  },
  {
    name: "put, zipf 1.03",
    ours: { name: "@zp/tinyufo", fn: () => ufoPut.put(numbers[p1++ & MASK]!, VALUE, 1) },
    theirs: [
      { name: "lru-cache", fn: () => lcPut.set(numbers[p3++ & MASK]!, VALUE) },
      { name: "@zp/lru", fn: () => zpPut.set(numbers[p2++ & MASK]!, VALUE) },
    ],
  },
]);
