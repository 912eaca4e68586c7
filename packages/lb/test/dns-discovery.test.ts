import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Backend, DnsDiscovery, LbError, LoadBalancer } from "@zp/lb";
import { TestDnsServer } from "./helpers/dns-server.js";
import { delay } from "./helpers/determinism.js";

let dns: TestDnsServer;
beforeEach(async () => {
  dns = await new TestDnsServer().start();
});
afterEach(async () => {
  await dns.close();
});

const endpoints = <E>(lb: LoadBalancer<E>): string[] => lb.backends.list.map((b) => `${b.endpoint}/${b.weight}`);

describe("DnsDiscovery", () => {
  it("A records become backends; changes between refreshes add and remove them, rebuilding only on change", async () => {
    dns.set("api.test", "A", ["127.0.0.2", "127.0.0.1"]);
    const discovery = new DnsDiscovery({ name: "api.test", port: 8080, weight: 3, servers: [dns.address], timeoutMs: 500, tries: 1 });
    const lb = new LoadBalancer({ discovery, selection: "ketama" });
    expect(await lb.update()).toBe(true);
    expect(endpoints(lb)).toEqual(["127.0.0.1:8080/3", "127.0.0.2:8080/3"]);
    expect(lb.backends.list[0]!.ext).toEqual({ name: "api.test" });
    const built = lb.selection;

    // Same records in another order: no rebuild.
    dns.set("api.test", "A", ["127.0.0.1", "127.0.0.2"]);
    expect(await lb.update()).toBe(false);
    expect(lb.selection).toBe(built);

    // One removed, one added.
    dns.set("api.test", "A", ["127.0.0.2", "127.0.0.3"]);
    expect(await lb.update()).toBe(true);
    expect(endpoints(lb)).toEqual(["127.0.0.2:8080/3", "127.0.0.3:8080/3"]);
    expect(lb.selection).not.toBe(built);
    expect(dns.queries.filter((q) => q === "api.test A")).toHaveLength(3);
  });

  it("reads AAAA, and A+AAAA together", async () => {
    dns.set("v6.test", "AAAA", ["::1", "fd00::2"]);
    dns.set("both.test", "A", ["127.0.0.1"]);
    dns.set("both.test", "AAAA", ["::1"]);
    const v6 = new LoadBalancer({ discovery: new DnsDiscovery({ name: "v6.test", type: "AAAA", port: 443, servers: [dns.address] }) });
    await v6.update();
    expect(endpoints(v6)).toEqual(["[::1]:443/1", "[fd00::2]:443/1"]);
    const both = new LoadBalancer({ discovery: new DnsDiscovery({ name: "both.test", type: "A+AAAA", port: 80, servers: [dns.address] }) });
    await both.update();
    expect(endpoints(both)).toEqual(["127.0.0.1:80/1", "[::1]:80/1"]);
    // A name with only A records still works in A+AAAA mode.
    dns.set("v4only.test", "A", ["127.0.0.5"]);
    const v4 = new LoadBalancer({ discovery: new DnsDiscovery({ name: "v4only.test", type: "A+AAAA", port: 80, servers: [dns.address] }) });
    await v4.update();
    expect(endpoints(v4)).toEqual(["127.0.0.5:80/1"]);
  });

  it("SRV records give port and weight, the lowest priority group only, targets resolved", async () => {
    dns.set("_http._tcp.svc.test", "SRV", [
      { priority: 10, weight: 5, port: 8001, target: "a.svc.test" },
      { priority: 10, weight: 0, port: 8002, target: "b.svc.test" },
      { priority: 20, weight: 9, port: 8003, target: "backup.svc.test" },
    ]);
    dns.set("a.svc.test", "A", ["127.0.0.1"]);
    dns.set("b.svc.test", "A", ["127.0.0.2"]);
    dns.set("b.svc.test", "AAAA", ["::1"]);
    dns.set("backup.svc.test", "A", ["127.0.0.9"]);
    const discovery = new DnsDiscovery({ name: "_http._tcp.svc.test", type: "SRV", servers: [dns.address] });
    const lb = new LoadBalancer({ discovery, selection: "weighted_round_robin" });
    await lb.update();
    expect(endpoints(lb)).toEqual(["127.0.0.1:8001/5", "127.0.0.2:8002/1", "[::1]:8002/1"]);
    expect(lb.backends.list[0]!.ext).toEqual({ name: "a.svc.test", priority: 10, srvWeight: 5 });
    // Weighted by the SRV weights.
    const counts = new Map<string, number>();
    for (let i = 0; i < 70; i++) {
      const e = lb.select()!.endpoint;
      counts.set(e, (counts.get(e) ?? 0) + 1);
    }
    expect(counts.get("127.0.0.1:8001")).toBe(50);

    const all = new LoadBalancer({ discovery: new DnsDiscovery({ name: "_http._tcp.svc.test", type: "SRV", srvFamily: 4, allPriorities: true, servers: [dns.address] }) });
    await all.update();
    expect(endpoints(all)).toEqual(["127.0.0.1:8001/5", "127.0.0.2:8002/1", "127.0.0.9:8003/9"]);

    // The preferred group goes away: the backup group takes over at the next refresh.
    dns.set("_http._tcp.svc.test", "SRV", [{ priority: 20, weight: 9, port: 8003, target: "backup.svc.test" }]);
    expect(await lb.update()).toBe(true);
    expect(endpoints(lb)).toEqual(["127.0.0.9:8003/9"]);
  });

  it("keeps the current backends when DNS fails (NXDOMAIN, no records, timeout)", async () => {
    dns.set("api.test", "A", ["127.0.0.1"]);
    const errors: string[] = [];
    const lb = new LoadBalancer({
      discovery: new DnsDiscovery({ name: "api.test", port: 80, servers: [dns.address], timeoutMs: 100, tries: 1 }),
      onError: (e) => errors.push(e.code),
    });
    await lb.update();
    dns.set("api.test", "A", []);
    expect(((await lb.update().catch((e: unknown) => e)) as LbError).code).toBe("ZP_LB_DISCOVERY_FAILED");
    dns.delete("api.test");
    expect(((await lb.update().catch((e: unknown) => e)) as LbError).code).toBe("ZP_LB_DISCOVERY_FAILED");
    dns.set("api.test", "A", ["127.0.0.1"]);
    dns.silent = true;
    expect(((await lb.update().catch((e: unknown) => e)) as LbError).code).toBe("ZP_LB_DISCOVERY_FAILED");
    expect(endpoints(lb)).toEqual(["127.0.0.1:80/1"]);
  });

  it("refreshes on an interval in the background, health kept for endpoints that stay", async () => {
    dns.set("api.test", "A", ["127.0.0.1", "127.0.0.2"]);
    const lb = new LoadBalancer({
      discovery: new DnsDiscovery({ name: "api.test", port: 80, servers: [dns.address] }),
      discoveryIntervalMs: 20,
      passive: { failureThreshold: 1 },
    });
    await lb.start();
    expect(lb.backends.size).toBe(2);
    lb.reportFailure(Backend.parse("127.0.0.2:80"));
    dns.set("api.test", "A", ["127.0.0.2", "127.0.0.3"]);
    for (let i = 0; i < 50 && !lb.backends.has(Backend.parse("127.0.0.3:80")); i++) await delay(10);
    await lb.stop();
    expect(endpoints(lb)).toEqual(["127.0.0.2:80/1", "127.0.0.3:80/1"]);
    expect(lb.ready(Backend.parse("127.0.0.2:80"))).toBe(false);
    expect(lb.ready(Backend.parse("127.0.0.3:80"))).toBe(true);
  });

  it("refuses incomplete options", () => {
    expect(() => new DnsDiscovery({ name: "" })).toThrow(LbError);
    expect(() => new DnsDiscovery({ name: "a.test" })).toThrow(LbError);
    expect(() => new DnsDiscovery({ name: "a.test", type: "MX" as never, port: 1 })).toThrow(LbError);
  });
});
