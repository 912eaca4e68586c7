import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Backend, Backends, LoadBalancer, SELECTION_NAMES, SmoothRoundRobin, type InflightCounter, type SelectionName } from "@zp/lb";
import { seededRandom } from "./helpers/determinism.js";

const a = Backend.parse("10.0.0.1:80", 5);
const b = Backend.parse("10.0.0.2:80", 3);
const c = Backend.parse("10.0.0.3:80", 2);

function counts(lb: LoadBalancer, n: number, key?: (i: number) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const picked = lb.select(key?.(i));
    if (picked === undefined) throw new Error("nothing selected");
    out.set(picked.endpoint, (out.get(picked.endpoint) ?? 0) + 1);
  }
  return out;
}

describe("distribution", () => {
  it("smooth weighted round robin over 1000 selections matches the weights exactly", () => {
    const lb = LoadBalancer.fromBackends([a, b, c], { selection: "weighted_round_robin" });
    expect(Object.fromEntries(counts(lb, 1000))).toEqual({ "10.0.0.1:80": 500, "10.0.0.2:80": 300, "10.0.0.3:80": 200 });
  });

  it("weighted round robin (pingora's) over 1000 selections matches the weights exactly", () => {
    const lb = LoadBalancer.fromBackends([a, b, c], { selection: "round_robin" });
    expect(Object.fromEntries(counts(lb, 1000))).toEqual({ "10.0.0.1:80": 500, "10.0.0.2:80": 300, "10.0.0.3:80": 200 });
  });

  it("smooth weighted round robin with weights 5, 1, 1 gives a a b a c a a (nginx)", () => {
    const lb = LoadBalancer.fromBackends(["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"].map((s, i) => Backend.parse(s, i === 0 ? 5 : 1)), {
      selection: "weighted_round_robin",
    });
    const name = (x: Backend | undefined): string => "abc"[Number(x!.address.slice(-1)) - 1]!;
    expect(Array.from({ length: 14 }, () => name(lb.select())).join("")).toBe("aabacaaaabacaa");
  });

  it("weighted random follows the weights (seeded)", () => {
    const lb = LoadBalancer.fromBackends([a, b, c], { selection: "random", random: seededRandom(42) });
    const n = 20_000;
    const got = counts(lb, n);
    expect(got.get("10.0.0.1:80")! / n).toBeCloseTo(0.5, 1);
    expect(got.get("10.0.0.2:80")! / n).toBeCloseTo(0.3, 1);
    expect(got.get("10.0.0.3:80")! / n).toBeCloseTo(0.2, 1);
  });

  it("fnv maps a key to the same backend every time and spreads keys by weight", () => {
    const lb = LoadBalancer.fromBackends([a, b, c], { selection: "fnv" });
    expect(lb.select("user-1")).toBe(lb.select("user-1"));
    const got = counts(lb, 30_000, (i) => `user-${i}`);
    expect(got.get("10.0.0.1:80")! / 30_000).toBeCloseTo(0.5, 1);
  });

  it("ketama maps keys like the ring and spreads them by weight", () => {
    const lb = LoadBalancer.fromBackends([a, b, c], { selection: "ketama" });
    const got = counts(lb, 30_000, (i) => `/objects/${i}`);
    expect(got.get("10.0.0.1:80")! / 30_000).toBeGreaterThan(0.4);
    expect(got.get("10.0.0.3:80")! / 30_000).toBeLessThan(0.3);
  });
});

describe("least connections and power of two choices", () => {
  it("least_conn follows onStart/onEnd, weighted by weight", () => {
    const x = Backend.parse("10.0.0.1:80", 2);
    const y = Backend.parse("10.0.0.2:80", 1);
    const lb = LoadBalancer.fromBackends([x, y], { selection: "least_conn" });
    lb.onStart(x);
    // x: 1/2 in flight per weight, y: 0.
    expect(lb.select()).toEqual(y);
    lb.onStart(y);
    // x: 1/2, y: 1/1.
    expect(lb.select()).toEqual(x);
    lb.onStart(x);
    lb.onStart(x);
    // x: 3/2, y: 1.
    expect(lb.select()).toEqual(y);
    lb.onEnd(x);
    lb.onEnd(x);
    lb.onEnd(x);
    expect(lb.select()).toEqual(x);
  });

  it("least_conn reads an injected counter and keeps counts across a reweight", () => {
    const loads = new Map<string, number>([["10.0.0.1:80", 4], ["10.0.0.2:80", 1], ["10.0.0.3:80", 2]]);
    const counter: InflightCounter = { get: (backend) => loads.get(backend.endpoint) ?? 0 };
    const lb = LoadBalancer.fromBackends(["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"], { selection: "least_conn", inflight: counter });
    expect(lb.select()?.endpoint).toBe("10.0.0.2:80");
    loads.set("10.0.0.2:80", 9);
    expect(lb.select()?.endpoint).toBe("10.0.0.3:80");

    const own = LoadBalancer.fromBackends(["10.0.0.1:80", "10.0.0.2:80"], { selection: "least_conn" });
    own.onStart(Backend.parse("10.0.0.1:80"));
    own.reweight("10.0.0.1:80", 1);
    own.reweight("10.0.0.2:80", 3);
    expect(own.select()?.endpoint).toBe("10.0.0.2:80");
    own.reweight("10.0.0.2:80", 1);
    own.onStart(Backend.parse("10.0.0.2:80"));
    own.onStart(Backend.parse("10.0.0.2:80"));
    expect(own.select()?.endpoint).toBe("10.0.0.1:80");
  });

  it("p2c never picks the most loaded of three backends and spreads evenly without load", () => {
    const lb = LoadBalancer.fromBackends(["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"], { selection: "p2c", random: seededRandom(3) });
    const idle = counts(lb, 3000);
    for (const n of idle.values()) expect(n).toBeGreaterThan(800);
    lb.onStart(Backend.parse("10.0.0.1:80"));
    const loaded = counts(lb, 1000);
    expect(loaded.get("10.0.0.1:80")).toBeUndefined();
  });

  it("p2c falls back to the other choice and then the rest when choices are down", () => {
    const lb = LoadBalancer.fromBackends(["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80"], { selection: "p2c", random: seededRandom(9) });
    lb.setEnabled("10.0.0.1:80", false);
    lb.setEnabled("10.0.0.2:80", false);
    lb.setEnabled("10.0.0.3:80", false);
    for (let i = 0; i < 50; i++) expect(lb.select(undefined, 6)?.endpoint).toBe("10.0.0.4:80");
  });
});

describe("select()", () => {
  it.each(SELECTION_NAMES)("%s: returns undefined on an empty set and the only backend of one", (name: SelectionName) => {
    const empty = new LoadBalancer({ selection: name });
    expect(empty.select("k")).toBeUndefined();
    const one = LoadBalancer.fromBackends(["10.0.0.9:80"], { selection: name });
    expect(one.select("k")?.endpoint).toBe("10.0.0.9:80");
  });

  it.each(SELECTION_NAMES)("%s: skips disabled backends, within the iteration budget", (name: SelectionName) => {
    const lb = LoadBalancer.fromBackends([a, b, c], { selection: name });
    lb.setEnabled(a, false);
    lb.setEnabled(b, false);
    for (let i = 0; i < 20; i++) expect(lb.select(`key-${i}`, 1000)?.endpoint).toBe("10.0.0.3:80");
    lb.setEnabled(c, false);
    expect(lb.select("k", 1000)).toBeUndefined();
  });

  it("ketama walks on to the next backend on the ring when the key's owner is down", () => {
    const lb = LoadBalancer.fromBackends(["1.1.1.1:80", "1.0.0.1:80", "1.0.0.255:80"], { selection: "ketama" });
    // pingora's vector: test5 belongs to 1.0.0.255; without it test5 goes to 1.0.0.1.
    expect(lb.select("test5")?.endpoint).toBe("1.0.0.255:80");
    lb.setEnabled("1.0.0.255:80", false);
    expect(lb.select("test5")?.endpoint).toBe("1.0.0.1:80");
  });

  it("fnv falls back along pingora's sequence when the first choice is down", () => {
    const lb = LoadBalancer.fromBackends([Backend.parse("1.1.1.1:80"), Backend.parse("1.0.0.1:80", 10), Backend.parse("1.0.0.255:80")], { selection: "fnv" });
    expect(lb.select("test")?.endpoint).toBe("1.0.0.1:80");
    lb.setEnabled("1.0.0.1:80", false);
    // Sequence b2 b2 b2 b1 ...: the first other backend is b1 (1.1.1.1), at the 4th step.
    expect(lb.select("test", 3)).toBeUndefined();
    expect(lb.select("test", 4)?.endpoint).toBe("1.1.1.1:80");
  });

  it("selectWith passes the health to accept and returns what it takes", () => {
    const lb = LoadBalancer.fromBackends([a, b, c], { selection: "ketama" });
    lb.setEnabled(b, false);
    const seen: Array<[string, boolean]> = [];
    const picked = lb.selectWith("key", 1000, (backend, usable) => {
      seen.push([backend.endpoint, usable]);
      // A nested selection takes its own iterator.
      expect(lb.select("other", 1000)).toBeDefined();
      return backend.equals(b);
    });
    expect(picked).toEqual(b);
    expect(seen.find(([e]) => e === "10.0.0.2:80")?.[1]).toBe(false);
    expect(lb.selectWith("key", 1000, () => false)).toBeUndefined();
  });
});

describe("smooth round robin cycle", () => {
  it("the precomputed cycle equals live picking (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 12 }), (weights) => {
        const list = Backends.from(weights.map((w, i) => Backend.parse(`10.0.0.${i + 1}:80`, w))).list;
        const cycle = new SmoothRoundRobin(list);
        const live = new SmoothRoundRobin(list, { precompute: false });
        const total = weights.reduce((s, w) => s + w, 0);
        for (let t = 0; t < 3 * total; t++) expect(cycle.pick()).toBe(live.pick());
      }),
    );
  });
});
