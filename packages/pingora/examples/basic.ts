// Starts the zp demo in-process on ephemeral ports: three small upstreams and a proxy in
// front of them (round robin, health checks, retries, compression, metrics), makes a few
// requests, reads the metrics, and stops gracefully.
import { startDemo } from "@zp/pingora";

const demo = await startDemo({ listen: { host: "127.0.0.1", port: 0 }, admin: { host: "127.0.0.1", port: 0 } });
const proxy = demo.endpoints.listeners[0]!;
console.log(`proxy on ${proxy}, admin on ${demo.endpoints.admin}`);

// Round robin over demo-1, demo-2, demo-3.
for (let i = 0; i < 3; i++) {
  const res = await fetch(`${proxy}/hello/${i}`);
  console.log(res.status, (await res.text()).trim()); // 200 demo-N: GET /hello/i
}

// A compressible response: gzip for a client that asks for it, and Vary either way.
const json = await fetch(`${proxy}/json`, { headers: { "accept-encoding": "gzip" } });
console.log("/json:", json.headers.get("content-encoding"), "vary:", json.headers.get("vary"));
await json.arrayBuffer();

// Prometheus metrics on the admin listener.
const metrics = await (await fetch(`${demo.endpoints.admin}/metrics`)).text();
console.log(metrics.split("\n").filter((line) => line.startsWith("zp_requests_total")).join("\n"));

await demo.stop();
console.log("stopped");
