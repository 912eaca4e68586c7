// The @fastify/http-proxy contender: the plugin on fastify, whose client (undici, through
// @fastify/reply-from) keeps its upstream connections alive. Usage: fastify-proxy-server.ts <port> <upstream port>
import fastifyHttpProxy from "@fastify/http-proxy";
import Fastify from "fastify";

const port = Number(process.argv[2] ?? process.env.ZP_PROXY_PORT);
const upstreamPort = Number(process.argv[3] ?? process.env.ZP_PROXY_UPSTREAM_PORT);

const app = Fastify({ logger: false });
await app.register(fastifyHttpProxy, {
  upstream: `http://127.0.0.1:${upstreamPort}`,
  // the forwarding fields zp adds by default: equal work
  replyOptions: {
    rewriteRequestHeaders: (request, headers) => ({
      ...headers,
      "x-forwarded-for": request.ip,
      "x-forwarded-proto": "http",
    }),
  },
});
await app.listen({ port, host: "127.0.0.1" });
console.log(`@fastify/http-proxy listening on ${port} -> ${upstreamPort}`);
