import { describe, expect, it } from "vitest";
import { LookupTimeoutError, MemoryCacheRangeError, RTCache, type LookupResult, type RTResult } from "../src/index.js";
import { Deferred, flush } from "./support/deferred.js";
import { ManualClock } from "./support/manual-clock.js";

/** A lookup whose calls the test counts and settles one by one. */
class ScriptedLookup<V> {
  readonly calls: string[] = [];
  readonly pending: Deferred<LookupResult<V>>[] = [];
  readonly fn = (key: string): Promise<LookupResult<V>> => {
    this.calls.push(key);
    const d = new Deferred<LookupResult<V>>();
    this.pending.push(d);
    return d.promise;
  };

  /** Settles the oldest unsettled call. */
  resolveNext(result: LookupResult<V>): void {
    this.pending.shift()!.resolve(result);
  }

  rejectNext(err: unknown): void {
    this.pending.shift()!.reject(err);
  }
}

/** A lookup that answers at once. */
function answer<V>(value: V, ttlMs?: number) {
  const calls: string[] = [];
  const fn = (key: string): Promise<LookupResult<V>> => {
    calls.push(key);
    return Promise.resolve(ttlMs === undefined ? { value } : { value, ttlMs });
  };
  return { fn, calls };
}

function plain<V>(r: RTResult<V>) {
  return { value: r.value, status: r.status, staleMs: r.staleMs };
}

/** Records whether a promise has settled yet. */
function track<T>(p: Promise<T>) {
  const state = { settled: false, promise: p };
  p.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describe("RTCache statuses", () => {
  it("miss → hit → expired → stale, each with its value", async () => {
    const clock = new ManualClock();
    const rt = new RTCache<string, string>(100, { now: clock.now });
    const first = answer("v1", 100);
    expect(plain(await rt.get("k", first.fn))).toEqual({ value: "v1", status: "miss", staleMs: 0 });
    expect(plain(await rt.get("k", first.fn))).toEqual({ value: "v1", status: "hit", staleMs: 0 });
    expect(first.calls).toEqual(["k"]);

    clock.advance(150);
    const second = answer("v2", 100);
    expect(plain(await rt.get("k", second.fn))).toEqual({ value: "v2", status: "expired", staleMs: 0 });
    expect(second.calls).toEqual(["k"]);

    clock.advance(130);
    const third = answer("v3", 100);
    expect(plain(await rt.get("k", third.fn, { staleWhileUpdateMs: 50 }))).toEqual({ value: "v2", status: "stale", staleMs: 30 });
    await flush();
    expect(third.calls).toEqual(["k"]);
    expect(plain(await rt.get("k", third.fn))).toEqual({ value: "v3", status: "hit", staleMs: 0 });
  });

  it("reports lockHit to callers that waited for another caller's lookup", async () => {
    const rt = new RTCache<string, number>(100, { now: () => 0 });
    const lookup = new ScriptedLookup<number>();
    const leader = rt.get("k", lookup.fn);
    const follower = rt.get("k", lookup.fn);
    lookup.resolveNext({ value: 7 });
    expect(plain(await leader)).toEqual({ value: 7, status: "miss", staleMs: 0 });
    expect(plain(await follower)).toEqual({ value: 7, status: "lockHit", staleMs: 0 });
  });

  it("uses the lookup's TTL, else the caller's ttlMs, else none; a TTL <= 0 returns the value uncached", async () => {
    const clock = new ManualClock();
    const rt = new RTCache<string, string>(100, { now: clock.now });
    await rt.get("own", answer("a", 10).fn, { ttlMs: 1_000 });
    await rt.get("fallback", answer("b").fn, { ttlMs: 1_000 });
    await rt.get("none", answer("c").fn);
    clock.advance(500);
    expect(rt.cache.get("own").status).toBe("expired");
    expect(rt.cache.get("fallback").status).toBe("hit");
    clock.advance(1e9);
    expect(rt.cache.get("none").status).toBe("hit");

    const zero = answer("z", 0);
    expect((await rt.get("zero", zero.fn)).value).toBe("z");
    expect(rt.cache.get("zero").status).toBe("miss");
  });

  it("caches the lookup's weight", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0, estimatedSize: 10 });
    await rt.get("k", async () => ({ value: "body", weight: 40 }));
    expect([rt.size, rt.weight]).toEqual([1, 40]);
    expect(rt.remove("k")).toBe(true);
    expect([rt.size, rt.weight]).toEqual([0, 0]);
  });
});

describe("RTCache coalescing", () => {
  it("runs one lookup for 100 concurrent misses and gives every caller its value", async () => {
    const rt = new RTCache<string, { id: number }>(1_000, { now: () => 0 });
    const lookup = new ScriptedLookup<{ id: number }>();
    const gets = Array.from({ length: 100 }, () => rt.get("hot", lookup.fn));
    expect(rt.pendingLookups).toBe(1);
    const value = { id: 42 };
    lookup.resolveNext({ value, ttlMs: 1_000 });
    const results = await Promise.all(gets);
    expect(lookup.calls).toEqual(["hot"]);
    for (const r of results) expect(r.value).toBe(value);
    expect(results.filter((r) => r.status === "miss")).toHaveLength(1);
    expect(results.filter((r) => r.status === "lockHit")).toHaveLength(99);
    expect(rt.pendingLookups).toBe(0);
  });

  it("coalesces per key: different keys look up independently", async () => {
    const rt = new RTCache<string, string>(1_000, { now: () => 0 });
    const lookup = new ScriptedLookup<string>();
    const a = rt.get("a", lookup.fn);
    const b = rt.get("b", lookup.fn);
    expect(lookup.calls).toEqual(["a", "b"]);
    lookup.resolveNext({ value: "A" });
    lookup.resolveNext({ value: "B" });
    expect([(await a).value, (await b).value]).toEqual(["A", "B"]);
  });
});

describe("RTCache wait timeout", () => {
  it("rejects a waiter after its timeout with a coded error, while the lookup goes on for the first caller", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0 });
    const lookup = new ScriptedLookup<string>();
    const leader = track(rt.get("slow", lookup.fn));
    const started = performance.now();
    const waiter = rt.get("slow", lookup.fn, { waitTimeoutMs: 20 });
    const err = await waiter.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    expect(err).toBeInstanceOf(LookupTimeoutError);
    expect(err).toMatchObject({ code: "ZP_MEMORY_CACHE_LOOKUP_TIMEOUT", timeoutMs: 20, key: "slow" });
    expect(leader.settled).toBe(false);
    expect(rt.pendingLookups).toBe(1);

    lookup.resolveNext({ value: "finally" });
    expect(plain(await leader.promise)).toEqual({ value: "finally", status: "miss", staleMs: 0 });
    expect(plain(await rt.get("slow", lookup.fn))).toEqual({ value: "finally", status: "hit", staleMs: 0 });
    expect(lookup.calls).toHaveLength(1);
  });

  it("a waiter whose lookup settles in time gets the value", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0 });
    const lookup = new ScriptedLookup<string>();
    void rt.get("k", lookup.fn);
    const waiter = rt.get("k", lookup.fn, { waitTimeoutMs: 5_000 });
    lookup.resolveNext({ value: "v" });
    expect(plain(await waiter)).toEqual({ value: "v", status: "lockHit", staleMs: 0 });
  });

  it("rejects a NaN or negative wait timeout with a range error", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0 });
    const lookup = new ScriptedLookup<string>();
    void rt.get("k", lookup.fn);
    await expect(rt.get("k", lookup.fn, { waitTimeoutMs: Number.NaN })).rejects.toBeInstanceOf(MemoryCacheRangeError);
    await expect(rt.get("k", lookup.fn, { waitTimeoutMs: -1 })).rejects.toMatchObject({ code: "ZP_MEMORY_CACHE_RANGE" });
    lookup.resolveNext({ value: "v" });
  });
});

describe("RTCache lookup errors", () => {
  it("rejects every waiting caller with the error, caches nothing, and the next get retries", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0 });
    const lookup = new ScriptedLookup<string>();
    const gets = Array.from({ length: 10 }, () => rt.get("k", lookup.fn));
    const boom = new Error("upstream down");
    lookup.rejectNext(boom);
    const outcomes = await Promise.allSettled(gets);
    for (const o of outcomes) expect(o).toEqual({ status: "rejected", reason: boom });
    expect(lookup.calls).toHaveLength(1);
    expect([rt.size, rt.pendingLookups]).toEqual([0, 0]);

    const retry = rt.get("k", lookup.fn);
    expect(lookup.calls).toHaveLength(2);
    lookup.resolveNext({ value: "recovered" });
    expect(plain(await retry)).toEqual({ value: "recovered", status: "miss", staleMs: 0 });
  });

  it("turns a lookup that throws synchronously into a rejection", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0 });
    const boom = new Error("sync");
    await expect(
      rt.get("k", () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(rt.pendingLookups).toBe(0);
  });

  it("rejects when the lookup gives a NaN TTL", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0 });
    await expect(rt.get("k", answer("v", Number.NaN).fn)).rejects.toBeInstanceOf(MemoryCacheRangeError);
  });

  it("negative caching: remembers the error for negativeTtlMs, then looks up again", async () => {
    const clock = new ManualClock();
    const rt = new RTCache<string, string>(100, { now: clock.now });
    const lookup = new ScriptedLookup<string>();
    const options = { negativeTtlMs: 100 };
    const first = rt.get("k", lookup.fn, options);
    const boom = new Error("not found");
    lookup.rejectNext(boom);
    await expect(first).rejects.toBe(boom);
    clock.advance(99);
    await expect(rt.get("k", lookup.fn, options)).rejects.toBe(boom);
    expect(lookup.calls).toHaveLength(1);

    clock.advance(1);
    const retry = rt.get("k", lookup.fn, options);
    expect(lookup.calls).toHaveLength(2);
    lookup.resolveNext({ value: "found" });
    expect((await retry).value).toBe("found");
  });

  it("remove forgets a remembered failure", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0 });
    await expect(rt.get("k", () => Promise.reject(new Error("x")), { negativeTtlMs: 1_000 })).rejects.toThrow("x");
    expect(rt.remove("k")).toBe(false);
    expect((await rt.get("k", answer("v").fn)).value).toBe("v");
  });
});

describe("RTCache stale-while-update", () => {
  async function staleCache(clock: ManualClock) {
    const rt = new RTCache<string, string>(100, { now: clock.now });
    await rt.get("k", answer("old", 100).fn);
    clock.advance(150);
    return rt;
  }

  it("returns the stale value at once and refreshes it with one background lookup", async () => {
    const clock = new ManualClock();
    const rt = await staleCache(clock);
    const lookup = new ScriptedLookup<string>();
    const options = { staleWhileUpdateMs: 1_000 };
    const results = await Promise.all(Array.from({ length: 5 }, () => rt.get("k", lookup.fn, options)));
    // all five answered while the refresh is still pending
    for (const r of results) expect(plain(r)).toEqual({ value: "old", status: "stale", staleMs: 50 });
    expect(lookup.calls).toEqual(["k"]);
    expect(rt.pendingLookups).toBe(1);

    lookup.resolveNext({ value: "new", ttlMs: 100 });
    await flush();
    expect(plain(await rt.get("k", lookup.fn, options))).toEqual({ value: "new", status: "hit", staleMs: 0 });
    expect(lookup.calls).toHaveLength(1);
  });

  it("a caller beyond its own stale window waits for the background refresh (lockHit)", async () => {
    const clock = new ManualClock();
    const rt = await staleCache(clock);
    const lookup = new ScriptedLookup<string>();
    await rt.get("k", lookup.fn, { staleWhileUpdateMs: 1_000 });
    const strict = rt.get("k", lookup.fn);
    lookup.resolveNext({ value: "new" });
    expect(plain(await strict)).toEqual({ value: "new", status: "lockHit", staleMs: 0 });
    expect(lookup.calls).toHaveLength(1);
  });

  it("stale-while-error: a failed refresh keeps the stale value served, and later refreshes retry", async () => {
    const clock = new ManualClock();
    const rt = await staleCache(clock);
    const lookup = new ScriptedLookup<string>();
    const options = { staleWhileUpdateMs: 1_000 };
    await rt.get("k", lookup.fn, options);
    lookup.rejectNext(new Error("refresh failed"));
    await flush();
    expect(rt.pendingLookups).toBe(0);
    expect(plain(await rt.get("k", lookup.fn, options))).toEqual({ value: "old", status: "stale", staleMs: 50 });
    expect(lookup.calls).toHaveLength(2);
    lookup.resolveNext({ value: "new" });
    await flush();
    expect((await rt.get("k", lookup.fn, options)).value).toBe("new");
  });

  it("negative caching holds back background refreshes after a failure", async () => {
    const clock = new ManualClock();
    const rt = await staleCache(clock);
    const lookup = new ScriptedLookup<string>();
    const options = { staleWhileUpdateMs: 1_000, negativeTtlMs: 100 };
    await rt.get("k", lookup.fn, options);
    lookup.rejectNext(new Error("refresh failed"));
    await flush();
    expect((await rt.get("k", lookup.fn, options)).status).toBe("stale");
    expect(lookup.calls).toHaveLength(1);
    clock.advance(100);
    expect((await rt.get("k", lookup.fn, options)).status).toBe("stale");
    expect(lookup.calls).toHaveLength(2);
    lookup.resolveNext({ value: "new" });
  });
});

describe("RTCache stale-while-error", () => {
  it("serves stale within staleWhileErrorMs when the foreground lookup fails, the error beyond it", async () => {
    const clock = new ManualClock();
    const rt = new RTCache<string, string>(100, { now: clock.now });
    await rt.get("k", answer("old", 100).fn);
    clock.advance(300); // stale for 200 ms: beyond any update window below
    const failing = () => Promise.reject(new Error("down"));
    expect(plain(await rt.get("k", failing, { staleWhileUpdateMs: 10, staleWhileErrorMs: 500 }))).toEqual({ value: "old", status: "stale", staleMs: 200 });
    await expect(rt.get("k", failing, { staleWhileErrorMs: 200 })).rejects.toThrow("down");
    await expect(rt.get("k", failing)).rejects.toThrow("down");
    // the stale entry outlives the failures
    expect(rt.cache.getStale("k").value).toBe("old");
  });

  it("serves stale to a waiter whose wait times out, within its window", async () => {
    const clock = new ManualClock();
    const rt = new RTCache<string, string>(100, { now: clock.now });
    await rt.get("k", answer("old", 100).fn);
    clock.advance(150);
    const lookup = new ScriptedLookup<string>();
    const leader = rt.get("k", lookup.fn);
    const waiter = rt.get("k", lookup.fn, { waitTimeoutMs: 10, staleWhileErrorMs: 1_000 });
    expect(plain(await waiter)).toEqual({ value: "old", status: "stale", staleMs: 50 });
    lookup.resolveNext({ value: "new" });
    expect(plain(await leader)).toEqual({ value: "new", status: "expired", staleMs: 0 });
  });
});

describe("RTCache clear", () => {
  it("drops entries and remembered failures", async () => {
    const rt = new RTCache<string, string>(100, { now: () => 0 });
    await rt.get("a", answer("A").fn);
    await expect(rt.get("b", () => Promise.reject(new Error("x")), { negativeTtlMs: 1_000 })).rejects.toThrow("x");
    rt.clear();
    expect(rt.size).toBe(0);
    const again = answer("B");
    expect(plain(await rt.get("b", again.fn))).toEqual({ value: "B", status: "miss", staleMs: 0 });
    expect((await rt.get("a", answer("A2").fn)).status).toBe("miss");
  });
});
