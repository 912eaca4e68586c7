// The http-proxy contender: the npm package on a node:http server, with a keep-alive agent
// to the upstream. Usage: http-proxy-server.ts <port> <upstream port>
import { Agent, createServer } from "node:http";
import httpProxy from "http-proxy";

const port = Number(process.argv[2] ?? process.env.ZP_PROXY_PORT);
const upstreamPort = Number(process.argv[3] ?? process.env.ZP_PROXY_UPSTREAM_PORT);

const proxy = httpProxy.createProxyServer({
  target: `http://127.0.0.1:${upstreamPort}`,
  agent: new Agent({ keepAlive: true, maxSockets: 256 }),
  // X-Forwarded-For/-Port/-Proto, as zp adds X-Forwarded-For/-Proto by default
  xfwd: true,
});
proxy.on("error", (err, _req, res) => {
  if ("writeHead" in res && !res.headersSent) {
    res.writeHead(502, { "Content-Type": "text/plain" });
    res.end(err.message);
  } else res.destroy();
});
const server = createServer((req, res) => proxy.web(req, res));
server.listen(port, "127.0.0.1", () => console.log(`http-proxy listening on ${port} -> ${upstreamPort}`));
