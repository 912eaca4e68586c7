import { createRequire } from "node:module";
import { Backend, LoadBalancer, type SelectionName } from "@zp/lb";
import { compare, type Case, type Contender } from "../lib/compare.js";

// hashring ships no type declarations; this is the part of its API the suite uses.
interface HashRingLike {
  get(key: string): string;
}
type HashRingConstructor = new (servers: Record<string, { weight: number }>) => HashRingLike;
const HashRing = createRequire(import.meta.url)("hashring") as HashRingConstructor;

const SIZES = [10, 100, 1000];

// Request-path-like keys, more than hashring's 5000-entry result cache holds.
const KEY_COUNT = 1 << 16;
let seed = 0x9e3779b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
}
const keys = Array.from({ length: KEY_COUNT }, () => `/objects/${Math.floor(random() * 1e12).toString(36)}/${Math.floor(random() * 1e6)}`);

/** n backends with weights 1..4, so weighted algorithms have something to weigh. */
function backends(n: number): Backend[] {
  return Array.from({ length: n }, (_, i) => Backend.parse(`10.${i >> 16}.${(i >> 8) & 0xff}.${i & 0xff}:443`, 1 + (i % 4)));
}

/** A load balancer with a few requests in flight on each backend (for least_conn and p2c). */
function balancer(selection: SelectionName, n: number): LoadBalancer {
  const lb = LoadBalancer.fromBackends(backends(n), { selection });
  for (const b of lb.backends) for (let k = 0; k < (b.address.length % 5); k++) lb.onStart(b);
  return lb;
}

// The simplest alternatives a user might write instead, over plain objects.
interface Plain {
  weight: number;
  current: number;
  inflight: number;
}
const plain = (n: number): Plain[] => backends(n).map((b) => ({ weight: b.weight, current: 0, inflight: b.address.length % 5 }));

function moduloRoundRobin(n: number): Contender {
  const arr = plain(n);
  let i = 0;
  return { name: "arr[i++ % n]", fn: () => arr[i++ % arr.length] };
}

function naiveSmooth(n: number): Contender {
  const arr = plain(n);
  const total = arr.reduce((s, b) => s + b.weight, 0);
  return {
    name: "naive smooth WRR",
    fn: () => {
      let best: Plain | undefined;
      for (const b of arr) {
        b.current += b.weight;
        if (best === undefined || b.current > best.current) best = b;
      }
      best!.current -= total;
      return best;
    },
  };
}

function naiveLeast(n: number): Contender {
  const arr = plain(n);
  return {
    name: "naive min(inflight/weight)",
    fn: () => {
      let best = arr[0]!;
      for (const b of arr) if (b.inflight / b.weight < best.inflight / best.weight) best = b;
      return best;
    },
  };
}

function naiveRandom(n: number): Contender {
  const arr = plain(n);
  return { name: "arr[random() * n]", fn: () => arr[(Math.random() * arr.length) | 0] };
}

function naiveTwoChoices(n: number): Contender {
  const arr = plain(n);
  return {
    name: "naive two random choices",
    fn: () => {
      const a = arr[(Math.random() * arr.length) | 0]!;
      const b = arr[(Math.random() * arr.length) | 0]!;
      return a.inflight / a.weight <= b.inflight / b.weight ? a : b;
    },
  };
}

function hashringLookup(n: number): Contender {
  const ring = new HashRing(Object.fromEntries(backends(n).map((b) => [b.endpoint, { weight: b.weight }])));
  let j = 0;
  return { name: "hashring", fn: () => ring.get(keys[j++ & (KEY_COUNT - 1)]!) };
}

const theirs: Record<SelectionName, ((n: number) => Contender) | undefined> = {
  round_robin: moduloRoundRobin,
  weighted_round_robin: naiveSmooth,
  least_conn: naiveLeast,
  random: naiveRandom,
  p2c: naiveTwoChoices,
  fnv: undefined,
  ketama: hashringLookup,
};

const cases: Case[] = [];
for (const [selection, alternative] of Object.entries(theirs) as Array<[SelectionName, ((n: number) => Contender) | undefined]>) {
  for (const n of SIZES) {
    const lb = balancer(selection, n);
    let i = 0;
    const keyed = selection === "fnv" || selection === "ketama";
    cases.push({
      name: `${selection} ${n}`,
      ours: { name: "@zp/lb select()", fn: keyed ? () => lb.select(keys[i++ & (KEY_COUNT - 1)]) : () => lb.select() },
      theirs: alternative === undefined ? [] : [alternative(n)],
    });
  }
}

await compare("lb", cases);
