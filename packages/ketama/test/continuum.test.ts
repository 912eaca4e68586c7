import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Bucket, Continuum, KetamaError, MAX_POINTS, parseBucket, parseBuckets } from "../src/index.js";

const hostPort = (b: Bucket | undefined): string | undefined =>
  b === undefined ? undefined : b.address.includes(":") ? `[${b.address}]:${b.port}` : `${b.address}:${b.port}`;

function take(iter: { nextNode(): Bucket | undefined }, n: number): (string | undefined)[] {
  return Array.from({ length: n }, () => hostPort(iter.nextNode()));
}

describe("Continuum (pingora-ketama vectors)", () => {
  it("matches the nginx sample for two servers", () => {
    const ring = new Continuum(parseBuckets(["127.0.0.1:7777", "127.0.0.1:7778"]));
    const want: [string, string][] = [
      ["/some/path", "127.0.0.1:7778"],
      ["/some/longer/path", "127.0.0.1:7777"],
      ["/sad/zaidoon", "127.0.0.1:7778"],
      ["/g", "127.0.0.1:7777"],
      ["/pingora/team/is/cool/and/this/is/a/long/uri", "127.0.0.1:7778"],
      ["/i/am/not/confident/in/this/code", "127.0.0.1:7777"],
    ];
    for (const [key, server] of want) {
      expect(hostPort(ring.node(key)), key).toBe(server);
      expect(hostPort(ring.node(new TextEncoder().encode(key))), key).toBe(server);
    }
  });

  it("matches every row of the nginx ground truth", () => {
    const csv = readFileSync(new URL("./fixtures/pingora-ketama/sample-nginx-upstream.csv", import.meta.url), "utf8");
    const rows = csv.split("\n").filter((line) => line.length > 0);
    expect(rows.length).toBe(1001);
    const servers = Array.from({ length: 9 }, (_, i) => `10.0.0.${i + 1}:443`);
    const ring = new Continuum(parseBuckets(servers, 100));
    expect(ring.size).toBe(9 * 100 * 160); // no collisions in this set
    const seen = new Set<string>();
    let matched = 0;
    for (const row of rows) {
      const [uri, upstream] = row.split(",") as [string, string];
      expect(hostPort(ring.node(uri)), uri).toBe(upstream);
      seen.add(upstream);
      matched++;
    }
    expect(matched).toBe(rows.length);
    expect(seen.size).toBe(9);
  });

  it("keeps existing keys in place when a host is added", () => {
    for (const count of [10, 11]) {
      const ring = new Continuum(Array.from({ length: count }, (_, i) => parseBucket(`127.0.0.${i + 1}:6443`)));
      expect(hostPort(ring.node("a"))).toBe("127.0.0.10:6443");
      expect(hostPort(ring.node("b"))).toBe("127.0.0.5:6443");
    }
  });

  it("iterates ring points from the key's point, one bucket per point", () => {
    const ring = new Continuum(parseBuckets(["127.0.0.1:7777", "127.0.0.1:7778", "127.0.0.1:7779"]));
    expect(take(ring.nodeIter("doghash"), 8)).toEqual(
      ["7778", "7779", "7779", "7777", "7777", "7778", "7778", "7779"].map((p) => `127.0.0.1:${p}`),
    );
    const fewer = new Continuum(parseBuckets(["127.0.0.1:7777", "127.0.0.1:7779"]));
    expect(take(fewer.nodeIter("doghash"), 5)).toEqual(["7779", "7779", "7777", "7777", "7779"].map((p) => `127.0.0.1:${p}`));
  });

  it("wraps the iterator around the whole ring back to its start", () => {
    const ring = new Continuum([parseBucket("127.0.0.1:7777")]);
    const iter = ring.nodeIter("doghash");
    const start = iter.idx;
    for (let i = 0; i < ring.size; i++) expect(iter.nextNode()).toBeDefined();
    expect(iter.idx).toBe(start);
    // The iterator protocol yields the same sequence.
    const viaProtocol: Bucket[] = [];
    for (const bucket of ring.nodeIter("doghash")) {
      viaProtocol.push(bucket);
      if (viaProtocol.length === ring.size + 3) break;
    }
    expect(viaProtocol.length).toBe(ring.size + 3);
  });

  it("wraps a key hashing past the last point to point 0", () => {
    const ring = new Continuum(parseBuckets(["127.0.0.1:7777", "127.0.0.1:7778"]));
    const last = ring.size - 1;
    const iter = ring.nodeIter("x");
    iter.idx = last;
    iter.nextNode();
    expect(iter.idx).toBe(0);
    expect(ring.pointFor(0xffffffff)).toBe(0);
    expect(ring.pointFor(0)).toBe(0);
  });

  it("walks an IPv6 ring like pingora", () => {
    const ring = new Continuum(parseBuckets(["[::1]:7777", "[::1]:7778", "[::1]:7779"]));
    expect(take(ring.nodeIter("doghash"), 7)).toEqual(
      ["7777", "7778", "7777", "7778", "7778", "7777", "7779"].map((p) => `[::1]:${p}`),
    );
    // Brackets in a hand-written address are ignored, like nginx does.
    const bracketed = new Continuum([1, 2, 3].map((i) => ({ address: "[::1]", port: 7776 + i, weight: 1 })));
    const iter = bracketed.nodeIter("doghash");
    expect(Array.from({ length: 7 }, () => iter.nextNode()?.port)).toEqual([7777, 7778, 7777, 7778, 7778, 7777, 7779]);
  });

  it("misses on an empty ring", () => {
    const ring = new Continuum([]);
    expect(ring.size).toBe(0);
    expect(ring.node("doghash")).toBeUndefined();
    expect(ring.nodeIdx("doghash")).toBe(0);
    expect(ring.bucketIdx("doghash")).toBe(-1);
    const iter = ring.nodeIter("doghash");
    expect(iter.nextNode()).toBeUndefined();
    expect(iter.next()).toEqual({ done: true, value: undefined });
    expect(iter.nextNode()).toBeUndefined();
  });

  it("returns the caller's bucket objects and their indices", () => {
    const buckets = ["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"].map((hp, i) => ({ ...parseBucket(hp), pool: `pool-${i}` }));
    const ring = new Continuum(buckets);
    const hit = ring.node("/x");
    expect(hit).toBe(buckets[ring.bucketIdx("/x")]);
    expect(hit?.pool).toMatch(/^pool-\d$/);
    expect(ring.get(ring.nodeIdx("/x"))).toBe(hit);
    expect(ring.get(-1)).toBeUndefined();
    expect(ring.get(ring.size)).toBeUndefined();
    expect(ring.bucketIdxAt(ring.size)).toBe(-1);
  });

  it("gives weight × 160 points and keeps the first bucket on hash collisions", () => {
    const ring = new Continuum([parseBucket("10.0.0.1:80", 1), parseBucket("10.0.0.2:80", 3)]);
    expect(ring.size).toBe(4 * 160);
    let heavy = 0;
    for (let i = 0; i < ring.size; i++) if (ring.bucketIdxAt(i) === 1) heavy++;
    expect(heavy).toBe(480);
    // The same server twice hashes to the same points: only the first copy owns them.
    const twice = [parseBucket("10.0.0.1:80"), parseBucket("10.0.0.1:80")];
    const dup = new Continuum(twice);
    expect(dup.size).toBe(160);
    for (let i = 0; i < dup.size; i++) expect(dup.get(i)).toBe(twice[0]);
  });

  it("validates buckets with stable codes", () => {
    const bad: Bucket[] = [
      { address: "", port: 1, weight: 1 },
      { address: "10.0.0.1", port: -1, weight: 1 },
      { address: "10.0.0.1", port: 70000, weight: 1 },
      { address: "10.0.0.1", port: 80, weight: 0 },
      { address: "10.0.0.1", port: 80, weight: Number.NaN },
    ];
    for (const b of bad) {
      expect(() => new Continuum([b])).toThrow(KetamaError);
      expect(() => new Continuum([b])).toThrow(expect.objectContaining({ code: "ZP_KETAMA_INVALID_BUCKET" }));
    }
    const huge = { address: "10.0.0.1", port: 80, weight: Math.floor(MAX_POINTS / 160) + 1 };
    expect(() => new Continuum([huge])).toThrow(expect.objectContaining({ code: "ZP_KETAMA_TOO_LARGE" }));
  });

  it("does not move points when buckets are changed after the build", () => {
    const buckets = [{ address: "10.0.0.1", port: 80, weight: 1 }, { address: "10.0.0.2", port: 80, weight: 1 }];
    const ring = new Continuum(buckets);
    const before = ring.bucketIdx("/stable");
    buckets.reverse();
    expect(ring.bucketIdx("/stable")).toBe(before);
  });
});
