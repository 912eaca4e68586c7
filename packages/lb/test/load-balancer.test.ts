import { describe, expect, it } from "vitest";
import { Backend, LbError, LoadBalancer, StaticDiscovery, TcpHealthCheck, type DiscoveryResult, type HealthCheck, type ServiceDiscovery } from "@zp/lb";
import { delay } from "./helpers/determinism.js";
import { tcpServer } from "./helpers/servers.js";

describe("LoadBalancer: backend set changes", () => {
  it("rebuilds the selection only when the identities change", async () => {
    const lb = LoadBalancer.fromBackends(["10.0.0.1:80", "10.0.0.2:80"], { selection: "ketama" });
    const first = lb.selection;
    expect(await lb.update()).toBe(false);
    expect(lb.selection).toBe(first);
    // The same set in another order, with other ext: no rebuild.
    expect(lb.setBackends([Backend.parse("10.0.0.2:80", 1, "x"), "10.0.0.1:80"])).toBe(false);
    expect(lb.selection).toBe(first);
    expect(lb.add("10.0.0.3:80")).toBe(true);
    const second = lb.selection;
    expect(second).not.toBe(first);
    expect(lb.add("10.0.0.3:80")).toBe(false);
    expect(lb.reweight("10.0.0.3:80", 2)).toBe(true);
    expect(lb.backends.get(Backend.parse("10.0.0.3:80", 2))).toBeDefined();
    expect(lb.reweight("10.0.0.3:80", 2)).toBe(false);
    expect(lb.remove("10.0.0.3:80")).toBe(true);
    expect(lb.remove("10.0.0.3:80")).toBe(false);
    expect(lb.backends.list.map(String)).toEqual(["10.0.0.1:80", "10.0.0.2:80"]);
    // Static discovery saw the runtime changes, so a round keeps them.
    lb.add("10.0.0.4:80");
    expect(await lb.update()).toBe(false);
    expect(lb.backends.size).toBe(3);
  });

  it("keeps the smooth round robin state while the set is unchanged, and walks in progress keep their snapshot", () => {
    const lb = LoadBalancer.fromBackends([Backend.parse("10.0.0.1:80", 2), "10.0.0.2:80"], { selection: "weighted_round_robin" });
    const seq = (n: number): string => Array.from({ length: n }, () => lb.select()!.address.slice(-1)).join("");
    expect(seq(2)).toBe("12");
    lb.setBackends(["10.0.0.2:80", Backend.parse("10.0.0.1:80", 2)]);
    expect(seq(4)).toBe("1121");
    // A walk that accepts nothing sees the old set even if the set changes under it.
    const seen: string[] = [];
    lb.selectWith(undefined, 10, (b) => {
      seen.push(b.endpoint);
      if (seen.length === 1) lb.add("10.0.0.3:80");
      return false;
    });
    expect(seen.sort()).toEqual(["10.0.0.1:80", "10.0.0.2:80"]);
    expect(lb.backends.size).toBe(3);
  });

  it("applies enablement from discovery (pingora's readiness map)", async () => {
    const bad = Backend.parse("10.0.0.9:80");
    const discovery: ServiceDiscovery = {
      discover: async (): Promise<DiscoveryResult> => ({ backends: ["10.0.0.1:80", bad], enabled: new Map([[bad.hashKey, false]]) }),
    };
    const lb = new LoadBalancer({ discovery });
    expect(lb.backends.size).toBe(0);
    expect(await lb.update()).toBe(true);
    expect(lb.ready(bad)).toBe(false);
    expect(lb.ready(Backend.parse("10.0.0.1:80"))).toBe(true);
    expect(lb.health(Backend.parse("10.9.9.9:80"))).toBeUndefined();
  });

  it("keeps the set when discovery fails, and shares concurrent rounds", async () => {
    let calls = 0;
    let fail = false;
    const discovery: ServiceDiscovery = {
      async discover() {
        calls++;
        await delay(10);
        if (fail) throw new Error("registry down");
        return { backends: ["10.0.0.1:80"] };
      },
    };
    const lb = new LoadBalancer({ discovery });
    const [r1, r2] = await Promise.all([lb.update(), lb.update()]);
    expect([r1, r2, calls]).toEqual([true, true, 1]);
    fail = true;
    const err = await lb.update().catch((e: unknown) => e);
    expect((err as LbError).code).toBe("ZP_LB_DISCOVERY_FAILED");
    expect(lb.backends.size).toBe(1);
  });

  it("refuses bad options", () => {
    expect(() => new LoadBalancer({ selection: "nope" as never })).toThrow(LbError);
    expect(() => new LoadBalancer({ allDown: "maybe" as never })).toThrow(LbError);
    expect(() => new LoadBalancer({ healthCheckIntervalMs: 0 })).toThrow(LbError);
    expect(() => LoadBalancer.fromBackends(["nope"])).toThrow(LbError);
  });
});

describe("LoadBalancer: background runner", () => {
  it("runs discovery and health checks on their intervals and stops cleanly", async () => {
    const server = await tcpServer().up();
    let discoveries = 0;
    const inner = new StaticDiscovery([server.endpoint]);
    const discovery: ServiceDiscovery = {
      discover: () => {
        discoveries++;
        return inner.discover();
      },
    };
    const lb = new LoadBalancer({ discovery, discoveryIntervalMs: 30, healthCheck: new TcpHealthCheck(), healthCheckIntervalMs: 30 });
    await lb.start();
    // First round done: discovered and checked once.
    expect(discoveries).toBe(1);
    expect(server.accepted).toBe(1);
    expect(lb.running).toBe(true);
    await delay(200);
    expect(discoveries).toBeGreaterThanOrEqual(3);
    expect(server.accepted).toBeGreaterThanOrEqual(3);
    await server.down();
    await delay(120);
    expect(lb.ready(Backend.parse(server.endpoint))).toBe(false);
    expect(lb.backgroundTasks).toBeGreaterThan(0);
    await lb.stop();
    expect(lb.running).toBe(false);
    expect(lb.backgroundTasks).toBe(0);
    const after = discoveries;
    await server.up();
    const accepted = server.accepted;
    await delay(150);
    expect(discoveries).toBe(after);
    expect(server.accepted).toBe(accepted);
    await server.down();
  });

  it("stop() waits for checks in progress and aborts them", async () => {
    let finished = 0;
    let aborted = 0;
    const slow: HealthCheck = {
      consecutiveSuccess: 1,
      consecutiveFailure: 1,
      async check(_backend, signal) {
        // Ignores the signal for 100 ms, as a slow check might, then notices it.
        await delay(100);
        if (signal.aborted) aborted++;
        finished++;
      },
    };
    const lb = LoadBalancer.fromBackends(["10.0.0.1:80", "10.0.0.2:80"], { healthCheck: slow, healthCheckIntervalMs: 10 });
    const first = lb.start();
    await delay(20);
    const t0 = performance.now();
    await lb.stop();
    expect(lb.backgroundTasks).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(60);
    expect(finished).toBe(2);
    expect(aborted).toBe(2);
    await first;
    await delay(50);
    expect(finished).toBe(2);
  });

  it("start() twice shares the first round; start after stop runs again", async () => {
    let discoveries = 0;
    const lb = new LoadBalancer({ discovery: { discover: async () => (discoveries++, { backends: ["10.0.0.1:80"] }) } });
    await Promise.all([lb.start(), lb.start()]);
    expect(discoveries).toBe(1);
    await lb.stop();
    await lb.start();
    expect(discoveries).toBe(2);
    await lb.stop();
  });

  it("reports background discovery failures to onError and keeps going", async () => {
    const errors: string[] = [];
    let n = 0;
    const lb = new LoadBalancer({
      discovery: {
        discover: async () => {
          if (n++ % 2 === 0) throw new Error("flaky");
          return { backends: ["10.0.0.1:80"] };
        },
      },
      discoveryIntervalMs: 10,
      onError: (e) => errors.push(e.code),
    });
    await lb.start();
    await delay(80);
    await lb.stop();
    expect(errors[0]).toBe("ZP_LB_DISCOVERY_FAILED");
    expect(lb.backends.size).toBe(1);
  });
});
