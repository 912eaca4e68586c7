// The zp contender: @zp/proxy's LoadBalancedProxy (the common case) with one backend, in
// one process, with the package's defaults (it adds X-Forwarded-For and X-Forwarded-Proto).
// Usage: zp-proxy-server.ts <port> <upstream port> (or ZP_PROXY_PORT / ZP_PROXY_UPSTREAM_PORT).
import { LoadBalancedProxy, createProxyServer } from "@zp/proxy";

const port = Number(process.argv[2] ?? process.env.ZP_PROXY_PORT);
const upstreamPort = Number(process.argv[3] ?? process.env.ZP_PROXY_UPSTREAM_PORT);

await createProxyServer(new LoadBalancedProxy({ upstreams: [`127.0.0.1:${upstreamPort}`] }), { port, host: "127.0.0.1" });
console.log(`zp listening on ${port} -> ${upstreamPort}`);
// exit through process.exit so `--cpu-prof` can write its profile
process.once("SIGTERM", () => process.exit(0));
process.once("SIGINT", () => process.exit(0));
