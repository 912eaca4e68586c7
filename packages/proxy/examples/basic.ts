import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResponseHeader } from "@zp/http";
import { LoadBalancedProxy, type LoadBalancedCtx, type Session, createProxyServer } from "@zp/proxy";

// Two tiny upstreams that say who they are.
async function upstream(name: string): Promise<Server> {
  const server = createServer((req, res) => res.end(`${name} answered ${req.method} ${req.url} for ${req.headers["x-forwarded-for"]}\n`));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}
const upstreams = await Promise.all([upstream("alpha"), upstream("beta")]);
const endpoints = upstreams.map((s) => `127.0.0.1:${(s.address() as AddressInfo).port}`);

// A load-balanced proxy (round robin, retries onto the other backend, passive health,
// X-Forwarded-For) with one phase of our own: a header on every response.
class HelloProxy extends LoadBalancedProxy {
  responseFilter(session: Session, response: ResponseHeader, ctx: LoadBalancedCtx): void {
    response.insertHeader("X-Served-By", ctx.backend?.endpoint ?? "-");
  }
}
const proxy = new HelloProxy({ upstreams: endpoints });
const server = await createProxyServer(proxy, {
  port: 0,
  // error log lines (one per failed request, one per retried attempt); stderr by default
  logger: { error: (line) => console.error(line), warn: (line) => console.log(`  retried: ${line.slice(0, line.indexOf(" context"))}`) },
});
const { port } = server.address()!;
console.log(`proxy on 127.0.0.1:${port} in front of ${endpoints.join(", ")}`);

// Round robin: the requests alternate between the two upstreams.
for (let i = 1; i <= 4; i++) {
  const res = await fetch(`http://127.0.0.1:${port}/hello/${i}`);
  process.stdout.write(`${res.status} via ${res.headers.get("x-served-by")}: ${await res.text()}`);
}

// One upstream goes away: its requests are retried on the other one, and after five
// failed connections passive health takes it out of rotation.
await new Promise<void>((resolve) => upstreams[1]!.close(() => resolve()));
const statuses: number[] = [];
for (let i = 0; i < 6; i++) statuses.push((await fetch(`http://127.0.0.1:${port}/after`)).status);
console.log("with beta gone:", statuses.join(" "));

await server.close(); // graceful: requests in flight finish first
upstreams[0]!.close();
console.log("closed");
