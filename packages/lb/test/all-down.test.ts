import { afterEach, describe, expect, it } from "vitest";
import { Backend, LoadBalancer, TcpHealthCheck, type AllDownPolicy } from "@zp/lb";
import { ManualClock } from "./helpers/determinism.js";
import { type Loopback, tcpServer } from "./helpers/servers.js";

const servers: Loopback[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) if (s.server.listening) await s.down();
});

async function twoBackends(allDown: AllDownPolicy) {
  const a = await tcpServer().up();
  const b = await tcpServer().up();
  servers.push(a, b);
  const lb = LoadBalancer.fromBackends([a.endpoint, b.endpoint], { allDown, healthCheck: new TcpHealthCheck({ timeoutMs: 500 }) });
  return { a, b, lb };
}

describe("all-down policy", () => {
  it("fail_closed selects nothing once every real backend is down", async () => {
    const { a, b, lb } = await twoBackends("fail_closed");
    await a.down();
    await lb.runHealthChecks();
    // One down: the other is chosen every time.
    for (let i = 0; i < 4; i++) expect(lb.select()?.endpoint).toBe(b.endpoint);
    await b.down();
    await lb.runHealthChecks();
    expect(lb.select()).toBeUndefined();
    await b.up();
    await lb.runHealthChecks();
    expect(lb.select()?.endpoint).toBe(b.endpoint);
  });

  it("fail_open selects ignoring health when nothing is healthy, but never a disabled backend", async () => {
    const { a, b, lb } = await twoBackends("fail_open");
    await a.down();
    await lb.runHealthChecks();
    for (let i = 0; i < 4; i++) expect(lb.select()?.endpoint).toBe(b.endpoint);
    await b.down();
    await lb.runHealthChecks();
    const picked = new Set<string>();
    for (let i = 0; i < 4; i++) picked.add(lb.select()!.endpoint);
    expect(picked).toEqual(new Set([a.endpoint, b.endpoint]));
    lb.setEnabled(a.endpoint, false);
    for (let i = 0; i < 4; i++) expect(lb.select()?.endpoint).toBe(b.endpoint);
    lb.setEnabled(b.endpoint, false);
    expect(lb.select()).toBeUndefined();
  });

  it("fail_open also covers passive ejection, and a healthy backend out of budget is not 'all down'", () => {
    const clock = new ManualClock();
    const x = Backend.parse("10.0.0.1:80");
    const y = Backend.parse("10.0.0.2:80");
    const lb = LoadBalancer.fromBackends([x, y], { allDown: "fail_open", clock: clock.read, passive: { failureThreshold: 1, jitter: 0 }, selection: "fnv" });
    lb.reportFailure(x);
    // The key's first choice is x; with a budget of one step the healthy y is out of reach.
    const key = ["a", "b", "c", "d", "e", "f"].find((k) => lb.selectWith(k, 1, () => true)?.equals(x))!;
    expect(lb.select(key, 1)).toBeUndefined();
    lb.reportFailure(y);
    expect(lb.select(key, 1)?.equals(x)).toBe(true);
  });
});
