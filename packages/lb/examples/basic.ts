import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Backend, HttpHealthCheck, LoadBalancer } from "@zp/lb";

// Three local HTTP backends answering /healthz.
async function backend(name: string): Promise<Server> {
  const server = createServer((req, res) => res.end(req.url === "/healthz" ? "ok" : `hello from ${name}`));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}
const servers = await Promise.all(["a", "b", "c"].map(backend));
const endpoints = servers.map((s) => `127.0.0.1:${(s.address() as AddressInfo).port}`);

// Smooth weighted round robin over them, the first one twice as heavy, checked over HTTP
// every 100 ms; two failed checks in a row take a backend out, one success brings it back.
const lb = LoadBalancer.fromBackends([Backend.parse(endpoints[0]!, 2), endpoints[1]!, endpoints[2]!], {
  selection: "weighted_round_robin",
  healthCheck: new HttpHealthCheck({ path: "/healthz", host: "backend.internal", consecutiveFailure: 2, timeoutMs: 500 }),
  healthCheckIntervalMs: 100,
  onHealthChange: (b, healthy, reason) => console.log(`${b.endpoint} is now ${healthy ? "healthy" : "unhealthy"} (${reason})`),
});
await lb.start(); // first discovery + health check round

const order = (n: number): string => Array.from({ length: n }, () => endpoints.indexOf(lb.select()!.endpoint)).join(" ");
console.log("picks:", order(8)); // 0 1 2 0 0 1 2 0: backend 0 gets half, spread out

// Backend 1 goes away; the checks notice after two failures.
await new Promise<void>((resolve) => servers[1]!.close(() => resolve()));
await new Promise((resolve) => setTimeout(resolve, 350));
console.log("picks without 1:", order(6));

// Passive health: the proxy reports failures; after 5 in a row the backend is ejected.
const b2 = lb.backends.list.find((b) => b.endpoint === endpoints[2])!;
for (let i = 0; i < 5; i++) lb.reportFailure(b2, new Error("502 from upstream"));
console.log("picks without 1 and 2:", order(3));

// Consistent hashing: the same key always lands on the same backend.
const ring = LoadBalancer.fromBackends(endpoints, { selection: "ketama" });
console.log("user-42 ->", ring.select("user-42")?.endpoint, "and again ->", ring.select("user-42")?.endpoint);

await lb.stop(); // no timers left, checks in progress awaited
for (const s of servers) s.close();
