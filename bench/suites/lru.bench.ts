import { Lru } from "@zp/lru";
import { LRUCache } from "lru-cache";
import { LRUCache as MnemonistLru } from "mnemonist";
import { compare, type Contender } from "../lib/compare.js";

// A cache of 10k entries over a space of 100k keys, as a proxy's asset cache sees it.
// Keys and access sequences are computed here, outside the measured functions; every
// call of a measured function is one cache operation picked by a running index.
const CAPACITY = 10_000;
const KEY_SPACE = 100_000;
const SEQUENCE = 1 << 16; // power of two: the index wraps with a mask
const MASK = SEQUENCE - 1;

const keys = Array.from({ length: KEY_SPACE }, (_, i) => `/assets/${i.toString(36)}/object-${i}.bin`);
const missKeys = Array.from({ length: CAPACITY }, (_, i) => `/missing/${i}`);
const value = { body: "cached" };

// Deterministic xorshift32, so every run measures the same sequences.
let seed = 0x9e37_79b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
}

/** Key indices drawn uniformly from the whole key space. */
const uniform = Uint32Array.from({ length: SEQUENCE }, () => Math.floor(random() * KEY_SPACE));

/** Key indices with a zipf-like (s = 1) popularity: index r has weight 1 / (r + 1). */
const zipf = (() => {
  const cdf = new Float64Array(KEY_SPACE);
  let sum = 0;
  for (let r = 0; r < KEY_SPACE; r++) cdf[r] = sum += 1 / (r + 1);
  return Uint32Array.from({ length: SEQUENCE }, () => {
    const x = random() * sum;
    let lo = 0;
    let hi = KEY_SPACE - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
})();

/** 90% gets, 10% sets. */
const isGet = Uint8Array.from({ length: SEQUENCE }, () => (random() < 0.9 ? 1 : 0));
/** Entry sizes 1..16 for the weighted case. */
const sizes = Uint8Array.from({ length: SEQUENCE }, () => 1 + Math.floor(random() * 16));
const sized = Array.from({ length: 16 }, (_, i) => ({ body: "cached", size: i + 1 }));
const WEIGHT_LIMIT = CAPACITY * 8;

/** The operations the cases below use. */
interface Cache {
  get(key: string): unknown;
  set(key: string, v: typeof value): unknown;
}

/** A cache filled with the first CAPACITY keys. */
function filled<C extends Cache>(cache: C): C {
  for (let i = 0; i < CAPACITY; i++) cache.set(keys[i]!, value);
  return cache;
}

const ours = (): Lru<string, typeof value> => filled(new Lru({ limit: CAPACITY, capacity: CAPACITY }));
const lruCache = (): LRUCache<string, typeof value> => filled(new LRUCache({ max: CAPACITY }));
const lruCacheSized = (): LRUCache<string, typeof value> => filled(new LRUCache({ maxSize: CAPACITY, sizeCalculation: () => 1 }));
const mnemonist = (): MnemonistLru<string, typeof value> => filled(new MnemonistLru(CAPACITY));

// Every contender gets its own function literal: closures made from one literal share
// V8's type feedback, which would make the call site polymorphic for whoever runs later.

/** get of a present key, cycling through all entries (each get takes the least recent). */
function getHit(): { ours: Contender; theirs: Contender[] } {
  const [a, b, c, d] = [ours(), lruCache(), lruCacheSized(), mnemonist()];
  let [ia, ib, ic, id] = [0, 0, 0, 0];
  return {
    ours: { name: "@zp/lru", fn: () => { const v = a.get(keys[ia]!); if (++ia === CAPACITY) ia = 0; return v; } },
    theirs: [
      { name: "lru-cache {max}", fn: () => { const v = b.get(keys[ib]!); if (++ib === CAPACITY) ib = 0; return v; } },
      { name: "lru-cache {maxSize,sizeCalculation}", fn: () => { const v = c.get(keys[ic]!); if (++ic === CAPACITY) ic = 0; return v; } },
      { name: "mnemonist LRUCache", fn: () => { const v = d.get(keys[id]!); if (++id === CAPACITY) id = 0; return v; } },
    ],
  };
}

/** get of an absent key. */
function getMiss(): { ours: Contender; theirs: Contender[] } {
  const [a, b, c, d] = [ours(), lruCache(), lruCacheSized(), mnemonist()];
  let [ia, ib, ic, id] = [0, 0, 0, 0];
  return {
    ours: { name: "@zp/lru", fn: () => { const v = a.get(missKeys[ia]!); if (++ia === CAPACITY) ia = 0; return v; } },
    theirs: [
      { name: "lru-cache {max}", fn: () => { const v = b.get(missKeys[ib]!); if (++ib === CAPACITY) ib = 0; return v; } },
      { name: "lru-cache {maxSize,sizeCalculation}", fn: () => { const v = c.get(missKeys[ic]!); if (++ic === CAPACITY) ic = 0; return v; } },
      { name: "mnemonist LRUCache", fn: () => { const v = d.get(missKeys[id]!); if (++id === CAPACITY) id = 0; return v; } },
    ],
  };
}

/** set of uniformly drawn keys into a full cache: mostly inserts that evict. */
function setEvicting(): { ours: Contender; theirs: Contender[] } {
  const [a, b, c, d] = [ours(), lruCache(), lruCacheSized(), mnemonist()];
  let [ia, ib, ic, id] = [0, 0, 0, 0];
  return {
    ours: { name: "@zp/lru", fn: () => a.set(keys[uniform[ia++ & MASK]!]!, value) },
    theirs: [
      { name: "lru-cache {max}", fn: () => b.set(keys[uniform[ib++ & MASK]!]!, value) },
      { name: "lru-cache {maxSize,sizeCalculation}", fn: () => c.set(keys[uniform[ic++ & MASK]!]!, value) },
      { name: "mnemonist LRUCache", fn: () => d.set(keys[uniform[id++ & MASK]!]!, value) },
    ],
  };
}

/** Sizes 1..16 under a total of 80k: ours is given the weight, lru-cache computes it. */
function setWeighted(): { ours: Contender; theirs: Contender[] } {
  const a = new Lru<string, (typeof sized)[number]>({ limit: WEIGHT_LIMIT, capacity: CAPACITY });
  const b = new LRUCache<string, (typeof sized)[number]>({ maxSize: WEIGHT_LIMIT, sizeCalculation: (v) => v.size });
  let [ia, ib] = [0, 0];
  return {
    ours: {
      name: "@zp/lru",
      fn: () => {
        const n = ia++ & MASK;
        const v = sized[sizes[n]! - 1]!;
        return a.set(keys[uniform[n]!]!, v, v.size);
      },
    },
    theirs: [
      {
        name: "lru-cache {maxSize,sizeCalculation}",
        fn: () => {
          const n = ib++ & MASK;
          return b.set(keys[uniform[n]!]!, sized[sizes[n]! - 1]!);
        },
      },
    ],
  };
}

/** 90% get, 10% set, keys drawn from the zipf-like distribution. */
function mixed(): { ours: Contender; theirs: Contender[] } {
  const [a, b, c, d] = [ours(), lruCache(), lruCacheSized(), mnemonist()];
  let [ia, ib, ic, id] = [0, 0, 0, 0];
  return {
    ours: { name: "@zp/lru", fn: () => { const n = ia++ & MASK; const k = keys[zipf[n]!]!; return isGet[n] === 1 ? a.get(k) : a.set(k, value); } },
    theirs: [
      { name: "lru-cache {max}", fn: () => { const n = ib++ & MASK; const k = keys[zipf[n]!]!; return isGet[n] === 1 ? b.get(k) : b.set(k, value); } },
      { name: "lru-cache {maxSize,sizeCalculation}", fn: () => { const n = ic++ & MASK; const k = keys[zipf[n]!]!; return isGet[n] === 1 ? c.get(k) : c.set(k, value); } },
      { name: "mnemonist LRUCache", fn: () => { const n = id++ & MASK; const k = keys[zipf[n]!]!; return isGet[n] === 1 ? d.get(k) : d.set(k, value); } },
    ],
  };
}

await compare("lru", [
  { name: "get (hit)", ...getHit() },
  { name: "get (miss)", ...getMiss() },
  { name: "set (evicting, 10k of 100k keys)", ...setEvicting() },
  { name: "set weighted (sizes 1-16, limit 80k)", ...setWeighted() },
  { name: "mixed 90/10 get/set (zipf)", ...mixed() },
]);
