import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { RequestHeader } from "@zp/http";
import { Connector, HttpClient } from "@zp/http-client";

// A local upstream to talk to.
const server = createServer((req, res) => {
  let size = 0;
  req.on("data", (chunk: Buffer) => (size += chunk.length));
  req.on("end", () => res.end(JSON.stringify({ method: req.method, url: req.url, received: size })));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

// Layer 2: request() on pooled keep-alive connections.
const client = new HttpClient({ timeouts: { connectMs: 2_000, readMs: 5_000 } });
const first = await client.request(`http://127.0.0.1:${port}/hello?x=1`);
console.log(first.status, first.headers.get("content-type") ?? "-", await first.body.json());
const second = await client.request({ origin: `http://127.0.0.1:${port}`, path: "/upload", method: "POST", body: "some bytes" });
console.log(second.status, await second.body.text(), "reused:", second.reused);

// Layer 1: a connection the way the proxy drives it, with a streamed (chunked) body.
const connector = new Connector();
const peer = { address: "127.0.0.1", port, timeouts: { readMs: 5_000 } };
const conn = await connector.connect(peer);
conn.writeRequestHeader(RequestHeader.build("PUT", "/stream").insertHeader("Host", `127.0.0.1:${port}`), true);
for (const piece of ["one ", "two ", "three"]) if (!conn.writeBody(piece)) await conn.waitDrain();
conn.finishBody();
const head = await conn.readResponseHeader();
let text = "";
for await (const chunk of conn.body()) text += chunk.toString();
console.log(head.status, text, "released to the pool:", conn.release());

client.close();
connector.close();
server.close();
