import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZpError } from "@zp/error";
import { HeaderMap } from "@zp/http";
import { HttpClient, request } from "@zp/http-client";
import { delay, httpServer, type CountingHttpServer } from "./helpers/servers.js";

let server: CountingHttpServer;
const client = new HttpClient();

beforeAll(async () => {
  server = await httpServer((req, res) => {
    if (req.url === "/slow") {
      res.writeHead(200, { "Content-Length": "4" });
      res.write("sl");
      setTimeout(() => res.end("ow"), 300);
      return;
    }
    if (req.url === "/hang") return;
    if (req.url === "/big") {
      res.end(Buffer.alloc(1_000_000, 0x61));
      return;
    }
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.rawHeaders }));
  });
});

afterAll(async () => {
  client.close();
  await server.close();
});

describe("HttpClient.request", () => {
  it("takes a URL, origin + path, or a peer", async () => {
    const a = await client.request(`${server.origin}/a?x=1`);
    expect(await a.body.json()).toMatchObject({ method: "GET", url: "/a?x=1" });
    const b = await client.request({ origin: new URL(server.origin), path: "/b", method: "DELETE" });
    expect(await b.body.json()).toMatchObject({ method: "DELETE", url: "/b" });
    const c = await client.request({ peer: { address: "127.0.0.1", port: server.port, group: "own" }, path: "/c" });
    const body = await c.body.json<{ headers: string[] }>();
    expect(body.headers.slice(0, 2)).toEqual(["Host", `127.0.0.1:${server.port}`]);
    const d = await client.request(new URL(`${server.origin}/d`));
    expect(d.statusText).toBe("OK");
    await d.body.dump();
  });

  it("sends Host first, the caller's fields after, and lets the caller replace Host", async () => {
    const res = await client.request(`${server.origin}/h`, { headers: [["X-One", "1"], ["x-two", "2"]] });
    expect((await res.body.json<{ headers: string[] }>()).headers).toEqual(["Host", `127.0.0.1:${server.port}`, "X-One", "1", "x-two", "2"]);
    const own = await client.request(`${server.origin}/h`, { headers: new HeaderMap().append("host", "example.test").append("X-A", "b") });
    expect((await own.body.json<{ headers: string[] }>()).headers).toEqual(["host", "example.test", "X-A", "b"]);
  });

  it("refuses invalid input before sending anything", async () => {
    await expect(client.request("/relative")).rejects.toMatchObject({ code: "ZP_INVALID_URI" });
    await expect(client.request("ftp://127.0.0.1/")).rejects.toMatchObject({ code: "ZP_INVALID_URI" });
    await expect(client.request({ origin: server.origin, path: "/a b" })).rejects.toMatchObject({ code: "ZP_INVALID_URI" });
    await expect(client.request(`${server.origin}/`, { headers: { "x-bad": "a\r\nInjected: 1" } })).rejects.toMatchObject({ code: "ZP_INVALID_HTTP_HEADER" });
    await expect(client.request(`${server.origin}/`, { headers: [["Host", "a"], ["Host", "b"]] })).rejects.toMatchObject({ code: "ZP_INVALID_HTTP_HEADER" });
    await expect(client.request(`${server.origin}/`, { method: "G T" })).rejects.toMatchObject({ code: "ZP_INVALID_METHOD" });
    await expect(client.request({ path: "/" })).rejects.toMatchObject({ code: "ZP_INVALID_URI" });
  });

  it("reads bodies as bytes, arrayBuffer and by iteration, once", async () => {
    const a = await client.request(`${server.origin}/big`);
    expect((await a.body.bytes()).length).toBe(1_000_000);
    await expect(a.body.text()).rejects.toMatchObject({ code: "ZP_INTERNAL_ERROR" });
    const b = await client.request(`${server.origin}/big`);
    expect((await b.body.arrayBuffer()).byteLength).toBe(1_000_000);
    const c = await client.request(`${server.origin}/big`);
    let n = 0;
    for await (const chunk of c.body) n += chunk.length;
    expect(n).toBe(1_000_000);
    expect(c.body.bodyUsed).toBe(true);
  });

  it("gives a complete response's connection back before its body is read", async () => {
    client.connector.pool.drain();
    const res = await client.request(`${server.origin}/small`);
    expect(res.body.complete).toBe(true);
    expect(client.connector.pool.size).toBe(1);
    const again = await client.request(`${server.origin}/small2`);
    expect(again.reused).toBe(true);
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toMatchObject({ url: "/small" });
    const big = await client.request(`${server.origin}/big`);
    expect(big.body.complete).toBe(false);
    big.body.cancel();
  });

  it("closes the connection when the body is cancelled or the iteration stops early", async () => {
    client.connector.pool.drain();
    const before = server.connections();
    const a = await client.request(`${server.origin}/slow`);
    a.body.cancel();
    const b = await client.request(`${server.origin}/slow`);
    for await (const _ of b.body) break;
    const c = await client.request(`${server.origin}/slow`);
    expect(await c.body.text()).toBe("slow");
    expect(server.connections() - before).toBe(3);
  });

  it("aborts a request waiting for its head, and a body being read", async () => {
    const controller = new AbortController();
    const pending = client.request(`${server.origin}/hang`, { signal: controller.signal });
    await delay(30);
    controller.abort(new Error("user gave up"));
    await expect(pending).rejects.toThrow("user gave up");
    const second = new AbortController();
    const res = await client.request(`${server.origin}/slow`, { signal: second.signal });
    const text = res.body.text();
    setTimeout(() => second.abort(new Error("enough")), 30);
    await expect(text).rejects.toThrow("enough");
    const third = new AbortController();
    const unread = await client.request(`${server.origin}/slow`, { signal: third.signal });
    third.abort(new Error("before reading"));
    await expect(unread.body.text()).rejects.toThrow("before reading");
    const already = AbortSignal.abort(new Error("before"));
    await expect(client.request(`${server.origin}/`, { signal: already })).rejects.toThrow("before");
  });

  it("the module-level request() uses a shared client", async () => {
    const res = await request(`${server.origin}/shared`);
    expect(res.status).toBe(200);
    expect(await res.body.json()).toMatchObject({ url: "/shared" });
    const again = await request({ origin: server.origin, path: "/shared2" });
    expect(again.reused).toBe(true);
    await again.body.dump();
  });

  it("rejects with a ZpError carrying the source", async () => {
    const err = await client.request("http://127.0.0.1:1/").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZpError);
    expect((err as ZpError).source).toBe("Upstream");
  });
});
