import { afterEach, describe, expect, it } from "vitest";
import { RawClient, delay } from "@zp-test/support";
import { closeAll, start } from "./helpers/server.js";

afterEach(closeAll);

describe("pipelining", () => {
  it("answers three requests sent in one write strictly in order, one at a time", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { port } = await start({}, async (req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // the first request is the slowest: a server answering out of order would show it
      await delay(req.url === "/1" ? 60 : req.url === "/2" ? 20 : 1);
      inFlight--;
      res.end(`body${req.url}`);
    });
    const client = await RawClient.connect(port);
    client.write("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.until((t) => t.endsWith("body/3"));
    const bodies = [...text.matchAll(/body\/\d/g)].map((m) => m[0]);
    expect(bodies).toEqual(["body/1", "body/2", "body/3"]);
    expect(maxInFlight).toBe(1);
    client.destroy();
  });

  it("pipelines requests with bodies, chunked and sized, split at odd places", async () => {
    const seen: string[] = [];
    const { port } = await start({}, async (req, res) => {
      const body = await req.readBody();
      seen.push(`${req.url}:${body.toString()}`);
      res.end(`${req.url}=${body.length}`);
    });
    const wire =
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
      "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n" +
      "GET /c HTTP/1.1\r\nHost: x\r\n\r\n";
    const client = await RawClient.connect(port);
    for (const [from, to] of [[0, 17], [17, 60], [60, 61], [61, wire.length]] as const) {
      client.write(wire.slice(from, to));
      await delay(5);
    }
    const text = await client.until((t) => t.endsWith("/c=0"));
    expect([...text.matchAll(/\/[abc]=\d/g)].map((m) => m[0])).toEqual(["/a=5", "/b=5", "/c=0"]);
    expect(seen).toEqual(["/a:hello", "/b:abcde", "/c:"]);
    client.destroy();
  });

  it("pauses reading while too many requests wait, then catches up in order", async () => {
    let sawPaused = false;
    const { port } = await start({ maxPipelinedRequests: 2 }, async (req, res) => {
      await delay(3);
      if (req.socket.isPaused()) sawPaused = true;
      res.end(req.url);
    });
    const client = await RawClient.connect(port);
    for (let i = 0; i < 30; i++) {
      client.write(`GET /r${i}; HTTP/1.1\r\nHost: x\r\n\r\n`);
      await delay(0);
    }
    const text = await client.until((t) => t.endsWith("/r29;"));
    const order = [...text.matchAll(/\/r(\d+);/g)].map((m) => Number(m[1]));
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(sawPaused).toBe(true);
    client.destroy();
  });

  it("answers requests queued before a malformed one, then 400 and close", async () => {
    let calls = 0;
    const { port } = await start({}, async (req, res) => {
      calls++;
      await delay(10);
      res.end(`ok${req.url}`);
    });
    const client = await RawClient.connect(port);
    client.write("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n bad fold\r\n\r\n");
    const text = await client.untilClosed();
    expect(text).toMatch(/ok\/1HTTP\/1\.1 200 OK[\s\S]*ok\/2HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain("Connection: close\r\n");
    expect(calls).toBe(2);
  });
});
