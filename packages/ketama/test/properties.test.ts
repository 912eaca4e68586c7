import * as zlib from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Bucket, Continuum, canonicalIp } from "../src/index.js";

/** A straightforward ketama ring built with zlib's CRC-32, as an independent oracle. */
function referenceRing(buckets: Bucket[]): (key: string) => number {
  const points: { hash: number; owner: number }[] = [];
  buckets.forEach((b, owner) => {
    const base = zlib.crc32(`${b.address}\0${b.port}`);
    let previous = 0;
    for (let i = 0; i < b.weight * 160; i++) {
      const le = Buffer.alloc(4);
      le.writeUInt32LE(previous);
      previous = zlib.crc32(le, base);
      points.push({ hash: previous, owner });
    }
  });
  points.sort((x, y) => x.hash - y.hash || x.owner - y.owner);
  const ring = points.filter((p, i) => i === 0 || points[i - 1]!.hash !== p.hash);
  return (key) => {
    const h = zlib.crc32(key);
    const found = ring.find((p) => p.hash >= h) ?? ring[0];
    return found === undefined ? -1 : found.owner;
  };
}

const ipv4 = fc.ipV4().map((ip) => canonicalIp(ip));
const ipv6 = fc.ipV6().map((ip) => canonicalIp(ip));
const bucketArb = (address: fc.Arbitrary<string>): fc.Arbitrary<Bucket> =>
  fc.record({ address, port: fc.integer({ min: 0, max: 65535 }), weight: fc.integer({ min: 1, max: 4 }) });
const distinctBuckets = (address: fc.Arbitrary<string>, maxLength: number) =>
  fc.uniqueArray(bucketArb(address), { minLength: 1, maxLength, selector: (b) => `${b.address}|${b.port}` });
const keys = fc.array(fc.string({ unit: "grapheme", maxLength: 40 }), { minLength: 1, maxLength: 40 });

describe("Continuum properties", () => {
  it("agrees with a naive reference ring (IPv4 and IPv6)", () => {
    fc.assert(
      fc.property(distinctBuckets(fc.oneof(ipv4, ipv6), 8), keys, (buckets, ks) => {
        const ring = new Continuum(buckets);
        const reference = referenceRing(buckets);
        for (const k of ks) expect(ring.bucketIdx(k)).toBe(reference(k));
      }),
      { numRuns: 60 },
    );
  });

  it("moves only the keys of a removed server", () => {
    fc.assert(
      fc.property(distinctBuckets(ipv4, 10).filter((b) => b.length >= 2), fc.nat(), keys, (buckets, pick, ks) => {
        const removed = pick % buckets.length;
        const full = new Continuum(buckets);
        const rest = new Continuum(buckets.filter((_, i) => i !== removed));
        for (const k of ks) {
          const before = full.node(k)!;
          if (before !== buckets[removed]) expect(rest.node(k)).toBe(before);
          else expect(rest.node(k)).not.toBe(before);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("is deterministic across rebuilds and key forms", () => {
    fc.assert(
      fc.property(distinctBuckets(ipv6, 6), keys, (buckets, ks) => {
        const a = new Continuum(buckets);
        const b = new Continuum(buckets.map((x) => ({ ...x })));
        for (const k of ks) {
          expect(a.bucketIdx(k)).toBe(b.bucketIdx(k));
          expect(a.nodeIdx(k)).toBe(a.nodeIdx(Buffer.from(k, "utf8")));
          expect(a.node(k)).toBe(a.node(k));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("iterates each point once per lap, starting at node()", () => {
    fc.assert(
      fc.property(distinctBuckets(ipv4, 4), fc.string(), (buckets, k) => {
        const ring = new Continuum(buckets);
        const iter = ring.nodeIter(k);
        expect(iter.nextNode()).toBe(ring.node(k));
        const counts = new Array<number>(buckets.length).fill(0);
        counts[ring.bucketIdx(k)]! += 1;
        for (let i = 1; i < ring.size; i++) counts[buckets.indexOf(iter.nextNode()!)]! += 1;
        expect(iter.idx).toBe(ring.nodeIdx(k));
        expect(counts).toEqual(buckets.map((b) => b.weight * 160));
      }),
      { numRuns: 30 },
    );
  });
});
