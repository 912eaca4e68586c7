import { createRequire } from "node:module";
import { Continuum, parseBucket } from "@zp/ketama";
import { compare } from "../lib/compare.js";

// hashring ships no type declarations; this is the part of its API the suite uses.
interface HashRingLike {
  get(key: string): string;
}
type HashRingConstructor = new (servers: Record<string, { weight: number }>) => HashRingLike;
const HashRing = createRequire(import.meta.url)("hashring") as HashRingConstructor;

// Request-path-like keys, far more of them than hashring's 5000-entry result cache holds,
// so both sides hash every lookup as a proxy with many distinct URIs would.
const KEY_COUNT = 1 << 16;
let seed = 0x9e3779b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
}
const keys = Array.from({ length: KEY_COUNT }, () => `/objects/${Math.floor(random() * 1e12).toString(36)}/${Math.floor(random() * 1e6)}`);

const servers = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 0xff}:443`);
const hashringServers = (n: number): Record<string, { weight: number }> =>
  Object.fromEntries(servers(n).map((s) => [s, { weight: 1 }]));

function lookupCase(n: number) {
  const ours = new Continuum(servers(n).map((s) => parseBucket(s)));
  const theirs = new HashRing(hashringServers(n));
  let i = 0;
  let j = 0;
  return {
    name: `node() ${n} servers`,
    ours: { name: "@zp/ketama", fn: () => ours.node(keys[i++ & (KEY_COUNT - 1)]!) },
    theirs: [{ name: "hashring", fn: () => theirs.get(keys[j++ & (KEY_COUNT - 1)]!) }],
  };
}

const buckets100 = servers(100).map((s) => parseBucket(s));
const hashring100 = hashringServers(100);

await compare("ketama", [
  lookupCase(10),
  lookupCase(100),
  {
    name: "build 100 servers",
    ours: { name: "@zp/ketama", fn: () => new Continuum(buckets100) },
    theirs: [{ name: "hashring", fn: () => new HashRing(hashring100) }],
  },
]);
