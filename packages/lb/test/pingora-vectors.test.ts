// The deterministic test vectors of pingora-load-balancing's selection module
// (selection/weighted.rs, consistent.rs, round_robin.rs, least.rs and mod.rs), reproduced.
import { describe, expect, it } from "vitest";
import {
  Backend,
  Backends,
  InflightTracker,
  KetamaSelection,
  LeastConnections,
  SmoothRoundRobin,
  UniqueIterator,
  WeightedSelection,
  type Selection,
  type SelectionCursor,
} from "@zp/lb";
import { seededRandom } from "./helpers/determinism.js";

const b1 = Backend.parse("1.1.1.1:80");
const b2w10 = Backend.parse("1.0.0.1:80", 10);
const b2w8 = Backend.parse("1.0.0.1:80", 8);
const b3 = Backend.parse("1.0.0.255:80");

/** The first `count` steps of a walk for `key`. */
function walk(selection: Selection, key: string, count: number): Backend[] {
  const cursor = selection.cursor();
  cursor.reset(key);
  return Array.from({ length: count }, () => selection.backends[cursor.next()]!);
}

/** The first choice of a fresh walk for `key`. */
function first(selection: Selection, key: string): Backend {
  return walk(selection, key, 1)[0]!;
}

describe("pingora vectors: weighted.rs", () => {
  it("test_fnv: FNV over b2 (weight 10), b3, b1 with key `test`", () => {
    const hash = new WeightedSelection(Backends.from([b1, b2w10, b3]).list, "fnv");
    expect(walk(hash, "test", 11)).toEqual([b2w10, b2w10, b2w10, b1, b3, b2w10, b2w10, b1, b2w10, b3, b1]);
    // Different keys: the first choice is weighted.
    expect(["test1", "test2", "test3", "test4", "test5", "test6", "test7"].map((k) => first(hash, k))).toEqual([
      b2w10, b2w10, b3, b1, b2w10, b2w10, b2w10,
    ]);
  });

  it("test_round_robin: weighted first choice, round robin fallbacks, key ignored", () => {
    const rr = new WeightedSelection(Backends.from([b1, b2w8, b3]).list, "round_robin");
    expect(walk(rr, "test", 5)).toEqual([b2w8, b3, b1, b2w8, b3]);
    expect(Array.from({ length: 7 }, () => first(rr, "test1"))).toEqual([b2w8, b2w8, b2w8, b3, b1, b2w8, b2w8]);
  });

  it("test_random: b2 with weight 8 of 10 gets 70..90 of 100 first choices (seeded here)", () => {
    const random = new WeightedSelection(Backends.from([b1, b2w8, b3]).list, "random", seededRandom(7));
    let count = 0;
    for (let i = 0; i < 100; i++) if (first(random, "test").equals(b2w8)) count++;
    expect(count).toBeGreaterThanOrEqual(70);
    expect(count).toBeLessThanOrEqual(90);
  });
});

describe("pingora vectors: consistent.rs", () => {
  const k1 = Backend.parse("1.1.1.1:80");
  const k2 = Backend.parse("1.0.0.1:80");
  const k3 = Backend.parse("1.0.0.255:80");
  const keys = Array.from({ length: 10 }, (_, i) => `test${i}`);

  it("test_ketama: keys test0..test9, then b3 removed", () => {
    const hash = new KetamaSelection(Backends.from([k1, k2, k3]).list);
    expect(keys.map((k) => first(hash, k))).toEqual([k2, k1, k1, k1, k1, k3, k1, k3, k1, k2]);
    const without = new KetamaSelection(Backends.from([k1, k2]).list);
    // Only test5 and test7, which b3 owned, move.
    expect(keys.map((k) => first(without, k))).toEqual([k2, k1, k1, k1, k1, k2, k1, k1, k1, k2]);
  });
});

describe("pingora vectors: round_robin.rs (smooth)", () => {
  it("test_smooth_round_robin: weights 60/20/20 over 100 picks", () => {
    const s1 = Backend.parse("1.1.1.1:80", 60);
    const s2 = Backend.parse("1.1.1.2:80", 20);
    const s3 = Backend.parse("1.1.1.3:80", 20);
    const smooth = new SmoothRoundRobin(Backends.from([s1, s2, s3]).list);
    const counts = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const b = first(smooth, "test");
      counts.set(b.endpoint, (counts.get(b.endpoint) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ "1.1.1.1:80": 60, "1.1.1.2:80": 20, "1.1.1.3:80": 20 });
  });
});

describe("pingora vectors: least.rs", () => {
  it("test_prefers_backend_with_smallest_load", () => {
    const l1 = Backend.parse("1.1.1.1:80");
    const l2 = Backend.parse("1.0.0.1:80");
    const inflight = new InflightTracker();
    const selector = new LeastConnections(Backends.from([l1, l2]).list, inflight);
    inflight.start(l1);
    expect(walk(selector, "", 2)).toEqual([l2, l1]);
  });

  it("test_weighted_comparison: loads 5,3,7,2 with weights 1,2,1,1", () => {
    const l0 = Backend.parse("1.1.1.0:80", 1);
    const l1 = Backend.parse("1.1.1.1:80", 2);
    const l2 = Backend.parse("1.1.1.2:80", 1);
    const l3 = Backend.parse("1.1.1.3:80", 1);
    const inflight = new InflightTracker();
    const selector = new LeastConnections(Backends.from([l0, l1, l2, l3]).list, inflight);
    const loads: Array<[Backend, number]> = [[l0, 5], [l1, 3], [l2, 7], [l3, 2]];
    for (const [b, n] of loads) for (let i = 0; i < n; i++) inflight.start(b);
    expect(walk(selector, "", 4)).toEqual([l1, l3, l0, l2]);
  });

  it("test_fair_tie_break: equal loads alternate", () => {
    const l1 = Backend.parse("1.1.1.1:80");
    const l2 = Backend.parse("1.0.0.1:80");
    const selector = new LeastConnections(Backends.from([l1, l2]).list, new InflightTracker());
    const firsts = Array.from({ length: 8 }, () => first(selector, ""));
    expect(firsts.filter((b) => b.equals(l1))).toHaveLength(4);
    expect(firsts.filter((b) => b.equals(l2))).toHaveLength(4);
  });

  it("test_lease_drop_decrements_counter and test_state_store_preserves_handles_across_rebuilds", () => {
    const l1 = Backend.parse("1.1.1.1:80");
    const inflight = new InflightTracker();
    new LeastConnections(Backends.from([l1]).list, inflight);
    expect(inflight.get(l1)).toBe(0);
    inflight.start(l1);
    expect(inflight.get(l1)).toBe(1);
    // A rebuild over an equal backend keeps the count.
    new LeastConnections(Backends.from([Backend.parse("1.1.1.1:80")]).list, inflight);
    expect(inflight.get(Backend.parse("1.1.1.1:80"))).toBe(1);
    inflight.end(l1);
    expect(inflight.get(l1)).toBe(0);
  });
});

describe("pingora vectors: mod.rs (UniqueIterator)", () => {
  /** A selection that walks a fixed sequence, like pingora's TestIter. */
  function scripted(backends: Backend[], sequence: Backend[]): Selection {
    const list = Backends.from(backends).list;
    const indices = sequence.map((b) => list.findIndex((x) => x.equals(b)));
    return {
      backends: list,
      cursor(): SelectionCursor {
        let at = 0;
        return { reset: () => (at = 0), next: () => (at < indices.length ? indices[at++]! : -1) };
      },
    };
  }

  it("unique_iter_max_iterations_is_correct", () => {
    const all = new UniqueIterator(scripted([b1, b2w10, b3], [b1, b2w10, b3])).restart("", 3);
    expect([all.nextBackend(), all.nextBackend(), all.nextBackend(), all.nextBackend()]).toEqual([b1, b2w10, b3, undefined]);
    const stop = new UniqueIterator(scripted([b1, b2w10, b3], [b1, b2w10, b3])).restart("", 1);
    expect([stop.nextBackend(), stop.nextBackend()]).toEqual([b1, undefined]);
  });

  it("unique_iter_duplicate_items_are_filtered", () => {
    const uniq = new UniqueIterator(scripted([b1, b2w10, b3], [b1, b1, b2w10, b2w10, b2w10, b3])).restart("", 10);
    expect([uniq.nextBackend(), uniq.nextBackend(), uniq.nextBackend(), uniq.nextBackend()]).toEqual([b1, b2w10, b3, undefined]);
  });
});
