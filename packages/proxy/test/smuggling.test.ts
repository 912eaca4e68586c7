import { afterEach, describe, expect, it } from "vitest";
import { HttpPeer } from "../src/index.js";
import { closeProxies, startProxy } from "./helpers/proxy.js";
import { RawClient, exchange } from "@zp-test/support";
import { closeUpstreams, httpUpstream } from "./helpers/upstreams.js";

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

const payloads: [string, string][] = [
  ["Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"],
  ["Transfer-Encoding with Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 30\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n"],
  ["two different Content-Lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 38\r\n\r\nhelloGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"],
  ["a Content-Length list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 38\r\n\r\nhello"],
  ["obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n"],
  ["obs-fold of Transfer-Encoding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"],
  ["Transfer-Encoding not ending in chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"],
  ["an unknown transfer coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"],
  ["whitespace before the colon", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"],
  ["a bare LF in a header", "GET / HTTP/1.1\r\nHost: x\nX-Evil: 1\r\n\r\n"],
  ["a bad chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nabc\r\n0\r\n\r\n"],
  ["a non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"],
];

describe("request smuggling", () => {
  it.each(payloads)("refuses %s with 400 before anything reaches the upstream", async (name, payload) => {
    const up = await httpUpstream((req, res) => res.end("reached"));
    const { port } = await startProxy({ upstreamPeer: () => new HttpPeer(up.endpoint) });
    const text = await exchange(port, payload);
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain("Connection: close");
    expect(text).not.toContain("reached");
    expect(up.connections).toBe(0);
  });
});

describe("slow clients", () => {
  it("times out a client that sends its head byte by byte (slowloris)", async () => {
    const up = await httpUpstream((req, res) => res.end("reached"));
    const { port } = await startProxy({ upstreamPeer: () => new HttpPeer(up.endpoint) }, { server: { headerTimeout: 300 } });
    const client = await RawClient.connect(port);
    const head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    let i = 0;
    const drip = setInterval(() => {
      if (!client.closed) client.write(head[i++ % head.length]!);
    }, 50);
    const started = Date.now();
    try {
      const text = await client.untilClosed(3000);
      expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      clearInterval(drip);
      client.destroy();
    }
    expect(up.connections).toBe(0);
  });

  it("times out a client that stops sending its body", async () => {
    const received: number[] = [];
    const up = await httpUpstream((req, res) => {
      let n = 0;
      req.on("data", (c: Buffer) => (n += c.length));
      req.on("error", () => {});
      req.on("close", () => received.push(n));
    });
    const { port } = await startProxy({ upstreamPeer: () => new HttpPeer(up.endpoint) }, { server: { bodyTimeout: 300 } });
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly some");
    const text = await client.untilClosed(3000);
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    client.destroy();
  });
});
