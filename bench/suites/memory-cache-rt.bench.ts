// RTCache (read-through with lookup coalescing) beside lru-cache's `fetch`, which does the
// same job: a cache of 10k entries; each measured call is one async operation.
import { RTCache, type LookupResult } from "@zp/memory-cache";
import { LRUCache } from "lru-cache";
import { compare, type Contender } from "../lib/compare.js";

const CAPACITY = 10_000;
const KEY_SPACE = 100_000;
const BURST = 100;
const HOUR = 3_600_000;

const keys = Array.from({ length: KEY_SPACE }, (_, i) => Buffer.from(`/users/${i.toString(36)}/profile-${i}`).toString());
new Set(keys).clear();
const value = { name: "cached" };

/** Both lookups answer at once, so the rows measure the caches, not a backend. */
const lookup = (): Promise<LookupResult<typeof value>> => Promise.resolve({ value, ttlMs: HOUR });
const fetchMethod = (): Promise<typeof value> => Promise.resolve(value);

function ours(): RTCache<string, typeof value> {
  const cache = new RTCache<string, typeof value>(CAPACITY, { seed: 1 });
  for (let i = 0; i < CAPACITY; i++) cache.cache.put(keys[i]!, value, HOUR);
  return cache;
}
function theirs(): LRUCache<string, typeof value> {
  const cache = new LRUCache<string, typeof value>({ max: CAPACITY, ttl: HOUR, ttlAutopurge: false, fetchMethod });
  for (let i = 0; i < CAPACITY; i++) cache.set(keys[i]!, value);
  return cache;
}

type Row = { ours: Contender; theirs: Contender[] };

/** An awaited get of a cached key. */
function getHit(): Row {
  const [a, b] = [ours(), theirs()];
  let [ia, ib] = [0, 0];
  return {
    ours: { name: "@zp/memory-cache RTCache", fn: async () => { const r = await a.get(keys[ia]!, lookup); if (++ia === CAPACITY) ia = 0; return r.value; } },
    theirs: [{ name: "lru-cache fetch", fn: async () => { const v = await b.fetch(keys[ib]!); if (++ib === CAPACITY) ib = 0; return v; } }],
  };
}

/** 100 concurrent gets of one key, mostly not cached: one lookup, 99 callers coalesced. */
function burst(): Row {
  const [a, b] = [ours(), theirs()];
  let [ia, ib] = [CAPACITY, CAPACITY];
  const pendingA: Promise<unknown>[] = new Array(BURST);
  const pendingB: Promise<unknown>[] = new Array(BURST);
  return {
    ours: {
      name: "@zp/memory-cache RTCache",
      fn: () => {
        const key = keys[ia]!;
        if (++ia === KEY_SPACE) ia = 0;
        for (let i = 0; i < BURST; i++) pendingA[i] = a.get(key, lookup);
        return Promise.all(pendingA);
      },
    },
    theirs: [
      {
        name: "lru-cache fetch",
        fn: () => {
          const key = keys[ib]!;
          if (++ib === KEY_SPACE) ib = 0;
          for (let i = 0; i < BURST; i++) pendingB[i] = b.fetch(key);
          return Promise.all(pendingB);
        },
      },
    ],
  };
}

await compare("memory-cache-rt", [
  { name: "get (hit), awaited", ...getHit() },
  { name: `${BURST} concurrent gets of a new key`, ...burst() },
]);
