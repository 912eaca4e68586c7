// @zp/memory-cache (TTL cache on TinyUFO) beside lru-cache with its `ttl` option, the
// library a Node user would pick for a TTL cache. A cache of 10k entries, 100k keys.
// Keys and sequences are computed here, outside the measured functions.
import { MemoryCache } from "@zp/memory-cache";
import { SeededRandom, ZipfSampler } from "@zp/tinyufo/workload";
import { LRUCache } from "lru-cache";
import { compare, type Contender } from "../lib/compare.js";

const CAPACITY = 10_000;
const KEY_SPACE = 100_000;
const SEQUENCE = 1 << 20; // a power of two: the position wraps with a mask
const MASK = SEQUENCE - 1;
const HOUR = 3_600_000;

// Flat strings with their hash already computed, as in the other cache suites.
const keys = Array.from({ length: KEY_SPACE + 1 }, (_, i) => Buffer.from(`/assets/${i.toString(36)}/object-${i}.bin`).toString());
const missKeys = Array.from({ length: CAPACITY }, (_, i) => Buffer.from(`/missing/${i}`).toString());
new Set([...keys, ...missKeys]).clear();
const value = { body: "cached" };

const random = new SeededRandom(42);
/** Keys drawn uniformly from the whole key space (puts of mostly new keys). */
const uniform = Uint32Array.from({ length: SEQUENCE }, () => Math.floor(random.nextFloat() * KEY_SPACE));
/** Keys drawn with zipf 1.0 popularity (1-based). */
const zipf = new ZipfSampler(KEY_SPACE, 1.0, new SeededRandom(7)).fill(new Uint32Array(SEQUENCE));
/** TTLs of the mixed workload: 1 s to 10 s (on the virtual clock below). */
const TTL_CHOICES = [1_000, 2_000, 3_000, 5_000, 7_000, 10_000] as const;
const ttlIndex = Uint8Array.from({ length: SEQUENCE }, () => Math.floor(random.nextFloat() * TTL_CHOICES.length));
const ttls = Float64Array.from(ttlIndex, (i) => TTL_CHOICES[i]!);
/** lru-cache takes a per-entry TTL as an options object: one constant object per TTL. */
const ttlOptions = TTL_CHOICES.map((ttl) => ({ ttl }));
/** The virtual clock advances this much per operation: 1M operations = 10 s, so keys expire
 * after 100k to 1M operations: every run sees hits, expiries and re-puts. */
const TICK_MS = 0.01;
/** The stale window of the second mixed case. */
const STALE_MS = 500;

/** Default clocks on both sides: our coarse clock, lru-cache's `ttlResolution: 1` cache. */
function ours(): MemoryCache<string, typeof value> {
  const cache = new MemoryCache<string, typeof value>(CAPACITY, { seed: 1 });
  for (let i = 0; i < CAPACITY; i++) cache.put(keys[i]!, value, HOUR);
  return cache;
}
function theirs(): LRUCache<string, typeof value> {
  const cache = new LRUCache<string, typeof value>({ max: CAPACITY, ttl: HOUR, ttlAutopurge: false, allowStale: true });
  for (let i = 0; i < CAPACITY; i++) cache.set(keys[i]!, value);
  return cache;
}

type Row = { ours: Contender; theirs: Contender[] };

// Every contender gets its own function literal, so neither inherits the other's type feedback.

function getHit(): Row {
  const [a, b] = [ours(), theirs()];
  let [ia, ib] = [0, 0];
  return {
    ours: { name: "@zp/memory-cache", fn: () => { const v = a.get(keys[ia]!).value; if (++ia === CAPACITY) ia = 0; return v; } },
    theirs: [{ name: "lru-cache {ttl}", fn: () => { const v = b.get(keys[ib]!); if (++ib === CAPACITY) ib = 0; return v; } }],
  };
}

function getMiss(): Row {
  const [a, b] = [ours(), theirs()];
  let [ia, ib] = [0, 0];
  return {
    ours: { name: "@zp/memory-cache", fn: () => { const v = a.get(missKeys[ia]!).value; if (++ia === CAPACITY) ia = 0; return v; } },
    theirs: [{ name: "lru-cache {ttl}", fn: () => { const v = b.get(missKeys[ib]!); if (++ib === CAPACITY) ib = 0; return v; } }],
  };
}

/** put of uniformly drawn keys into a full cache: mostly new keys, each evicting one. */
function putEvicting(): Row {
  const [a, b] = [ours(), theirs()];
  let [ia, ib] = [0, 0];
  return {
    ours: { name: "@zp/memory-cache", fn: () => a.put(keys[uniform[ia++ & MASK]!]!, value, HOUR) },
    theirs: [{ name: "lru-cache {ttl}", fn: () => b.set(keys[uniform[ib++ & MASK]!]!, value) }],
  };
}

/** put of a cached key: a TTL refresh. */
function putUpdate(): Row {
  const [a, b] = [ours(), theirs()];
  let [ia, ib] = [0, 0];
  return {
    ours: { name: "@zp/memory-cache", fn: () => { const r = a.put(keys[ia]!, value, HOUR); if (++ia === CAPACITY) ia = 0; return r; } },
    theirs: [{ name: "lru-cache {ttl}", fn: () => { const r = b.set(keys[ib]!, value); if (++ib === CAPACITY) ib = 0; return r; } }],
  };
}

/**
 * A virtual clock both caches read (ours through `now`, lru-cache through `perf` with
 * `ttlResolution: 0`), advanced per operation: a benchmark loop never yields to timers,
 * so real coarse clocks would stand still and nothing would expire.
 */
class VirtualClock {
  t = 1_000_000;
  readonly now = (): number => this.t;
}

function oursVirtual(clock: VirtualClock): MemoryCache<string, typeof value> {
  return new MemoryCache<string, typeof value>(CAPACITY, { seed: 1, now: clock.now });
}
function theirsVirtual(clock: VirtualClock, allowStale: boolean): LRUCache<string, typeof value> {
  return new LRUCache<string, typeof value>({ max: CAPACITY, ttl: HOUR, ttlAutopurge: false, allowStale, perf: clock, ttlResolution: 0 });
}

/** Read-through on zipf keys: get; on anything but a hit, put with that request's TTL. */
function mixed(): Row {
  const [ca, cb] = [new VirtualClock(), new VirtualClock()];
  const [a, b] = [oursVirtual(ca), theirsVirtual(cb, false)];
  let [ia, ib] = [0, 0];
  return {
    ours: {
      name: "@zp/memory-cache",
      fn: () => {
        const n = ia++ & MASK;
        ca.t += TICK_MS;
        const k = keys[zipf[n]!]!;
        const r = a.get(k);
        if (r.status !== "hit") a.put(k, value, ttls[n]);
      },
    },
    theirs: [
      {
        name: "lru-cache {ttl}",
        fn: () => {
          const n = ib++ & MASK;
          cb.t += TICK_MS;
          const k = keys[zipf[n]!]!;
          if (b.get(k) === undefined) b.set(k, value, ttlOptions[ttlIndex[n]!]);
        },
      },
    ],
  };
}

/**
 * The same with stale serving: ours serves an entry up to 500 ms past its TTL and puts a
 * fresh one (stale-while-update by hand); lru-cache `allowStale` serves a stale entry once,
 * deleting it, and the next get of that key misses and sets it.
 */
function mixedStale(): Row {
  const [ca, cb] = [new VirtualClock(), new VirtualClock()];
  const [a, b] = [oursVirtual(ca), theirsVirtual(cb, true)];
  let [ia, ib] = [0, 0];
  return {
    ours: {
      name: "@zp/memory-cache",
      fn: () => {
        const n = ia++ & MASK;
        ca.t += TICK_MS;
        const k = keys[zipf[n]!]!;
        const r = a.get(k, STALE_MS);
        if (r.status !== "hit") a.put(k, value, ttls[n]);
        return r.value;
      },
    },
    theirs: [
      {
        name: "lru-cache {ttl, allowStale}",
        fn: () => {
          const n = ib++ & MASK;
          cb.t += TICK_MS;
          const k = keys[zipf[n]!]!;
          const v = b.get(k);
          if (v === undefined) b.set(k, value, ttlOptions[ttlIndex[n]!]);
          return v;
        },
      },
    ],
  };
}

/** Hit ratio of the mixed read-through workload (2M requests, not timed). */
function hitRatios(): void {
  const [ca, cb] = [new VirtualClock(), new VirtualClock()];
  const [a, b] = [oursVirtual(ca), theirsVirtual(cb, false)];
  let [ha, hb] = [0, 0];
  const requests = 2 * SEQUENCE;
  for (let i = 0; i < requests; i++) {
    const n = i & MASK;
    ca.t += TICK_MS;
    cb.t += TICK_MS;
    const k = keys[zipf[n]!]!;
    if (a.get(k).status === "hit") ha++;
    else a.put(k, value, ttls[n]);
    if (b.get(k) !== undefined) hb++;
    else b.set(k, value, ttlOptions[ttlIndex[n]!]);
  }
  console.log(`\nhit ratio of the mixed workload (zipf 1.0, TTL 1-10 s): @zp/memory-cache ${((100 * ha) / requests).toFixed(2)}%, lru-cache ${((100 * hb) / requests).toFixed(2)}%`);
}

hitRatios();
await compare("memory-cache", [
  { name: "get (hit)", ...getHit() },
  { name: "get (miss)", ...getMiss() },
  { name: "put (new key, evicting)", ...putEvicting() },
  { name: "put (update, TTL refresh)", ...putUpdate() },
  { name: "mixed zipf read-through, TTL 1-10 s", ...mixed() },
  { name: "mixed zipf, serve stale 500 ms", ...mixedStale() },
]);
