import { afterEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { curl, exchange, RawClient } from "@zp-test/support";
import { closeAll, start } from "./helpers/server.js";

afterEach(closeAll);

describe("requests and responses with real clients", () => {
  it("answers curl GET with Content-Length, Date and the Server header", async () => {
    const { url } = await start({ serverName: "zingora-test" }, (req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain", "X-Path": req.target.path, "X-Query": req.target.query ?? "" });
      res.end("Hello, World!");
    });
    const r = await curl(["-i", `${url}/a/b?q=1`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.stdout).toContain("Content-Length: 13\r\n");
    expect(r.stdout).toContain("X-Path: /a/b\r\n");
    expect(r.stdout).toContain("X-Query: q=1\r\n");
    expect(r.stdout).toContain("Server: zingora-test\r\n");
    expect(r.stdout).toMatch(/\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n/);
    expect(r.stdout.endsWith("\r\n\r\nHello, World!")).toBe(true);
  });

  it("keeps header names as received and exposes request facts", async () => {
    let seen: Record<string, unknown> = {};
    const { url } = await start({}, (req, res) => {
      seen = {
        method: req.method,
        url: req.url,
        version: req.version,
        names: req.headers.toRawHeaders().filter((_, i) => i % 2 === 0),
        custom: req.headers.get("x-custom-header"),
        remote: req.remoteAddress,
        local: req.localPort,
        keepAlive: req.keepAlive,
        hasBody: req.hasBody,
      };
      res.end();
    });
    const r = await curl(["-H", "X-CuStOm-HeAdEr: v1", `${url}/x?y=z`]);
    expect(r.code).toBe(0);
    expect(seen.method).toBe("GET");
    expect(seen.url).toBe("/x?y=z");
    expect(seen.version).toBe("HTTP/1.1");
    expect(seen.names).toContain("X-CuStOm-HeAdEr");
    expect(seen.custom).toBe("v1");
    expect(seen.remote).toBe("127.0.0.1");
    expect(seen.local).toBe(Number(new URL(url).port));
    expect(seen.keepAlive).toBe(true);
    expect(seen.hasBody).toBe(false);
  });

  it("keeps the client's address and port once read, after the client is gone too", async () => {
    const seen: unknown[] = [];
    let gone!: () => void;
    const closed = new Promise<void>((r) => {
      gone = r;
    });
    const { port } = await start({}, (req, res) => {
      seen.push(req.remoteAddress, typeof req.remotePort);
      res.onClose(() => {
        seen.push(req.remoteAddress, typeof req.remotePort);
        gone();
      });
      res.destroy();
    });
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await closed;
    client.destroy();
    expect(seen).toEqual(["127.0.0.1", "number", "127.0.0.1", "number"]);
  });

  it("reads a curl POST body and echoes it", async () => {
    const { url } = await start({}, async (req, res) => {
      const body = await req.readBody();
      res.writeHead(201, { "Content-Type": "application/octet-stream" });
      res.end(body);
    });
    const r = await curl(["-i", "--data-binary", "@-", `${url}/upload`], "some posted bytes");
    expect(r.stdout).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(r.stdout).toContain("Content-Length: 17\r\n");
    expect(r.stdout.endsWith("some posted bytes")).toBe(true);
  });

  it("reads a chunked curl upload (curl -T - with Transfer-Encoding: chunked)", async () => {
    const payload = Buffer.alloc(300_000, "x");
    for (let i = 0; i < payload.length; i += 997) payload[i] = 0x41 + (i % 26);
    let chunkedSeen = false;
    const { url } = await start({}, async (req, res) => {
      chunkedSeen = req.contentLength === -1;
      const hash = createHash("sha256");
      let total = 0;
      for await (const chunk of req) {
        hash.update(chunk);
        total += chunk.length;
      }
      res.end(`${total} ${hash.digest("hex")}`);
    });
    const r = await curl(["-T", "-", "-H", "Transfer-Encoding: chunked", `${url}/put`], payload);
    expect(r.code).toBe(0);
    expect(chunkedSeen).toBe(true);
    expect(r.stdout).toBe(`${payload.length} ${createHash("sha256").update(payload).digest("hex")}`);
  });

  it("streams a chunked response when the length is unknown", async () => {
    const { url } = await start({}, async (req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      for (let i = 0; i < 5; i++) {
        res.write(`part ${i}\n`);
        await new Promise((r) => setTimeout(r, 5));
      }
      res.write(Buffer.alloc(40_000, "z")); // above the copy threshold: a corked write
      res.end("done\n");
    });
    const r = await curl(["-i", "--raw", url]);
    expect(r.stdout).toContain("Transfer-Encoding: chunked\r\n");
    expect(r.stdout).not.toContain("Content-Length");
    expect(r.stdout).toContain("7\r\npart 0\n\r\n");
    expect(r.stdout).toContain("9c40\r\n");
    expect(r.stdout.endsWith("5\r\ndone\n\r\n0\r\n\r\n")).toBe(true);
    const decoded = await curl([url]);
    expect(decoded.stdout).toBe(`part 0\npart 1\npart 2\npart 3\npart 4\n${"z".repeat(40_000)}done\n`);
  });

  it("sends trailers after a chunked body", async () => {
    const { port } = await start({}, (req, res) => {
      res.writeHead(200, { Trailer: "X-Checksum" });
      res.writeTrailers({ "X-Checksum": "abc123" });
      res.write("data");
      res.end();
    });
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\nTE: trailers\r\n\r\n");
    const text = await client.until((t) => t.endsWith("\r\n\r\n") && t.includes("0\r\n"));
    expect(text).toContain("Transfer-Encoding: chunked\r\n");
    expect(text.endsWith("4\r\ndata\r\n0\r\nX-Checksum: abc123\r\n\r\n")).toBe(true);
    client.destroy();
  });

  it("sends no body for HEAD, 204 and 304, and keeps the connection usable", async () => {
    const { port } = await start({}, (req, res) => {
      if (req.url === "/204") res.writeHead(204, { "X-A": "1" }).end("ignored");
      else if (req.url === "/304") res.writeHead(304, { ETag: '"v1"' }).end("ignored");
      else res.end("a body of 17 byte");
    });
    const client = await RawClient.connect(port);
    client.write("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
    const head = await client.until((t) => t.endsWith("\r\n\r\n"));
    expect(head).toContain("Content-Length: 17\r\n");
    client.write("GET /204 HTTP/1.1\r\nHost: x\r\n\r\nGET /304 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const all = await client.until((t) => t.endsWith("a body of 17 byte"));
    const parts = all.split("HTTP/1.1 ").slice(1);
    expect(parts).toHaveLength(4);
    expect(parts[0]!.endsWith("\r\n\r\n")).toBe(true);
    expect(parts[1]).toMatch(/^204 No Content\r\n/);
    expect(parts[1]).not.toContain("Content-Length");
    expect(parts[1]!.endsWith("\r\n\r\n")).toBe(true);
    expect(parts[2]).toMatch(/^304 Not Modified\r\n/);
    expect(parts[2]!.endsWith("\r\n\r\n")).toBe(true);
    expect(parts[3]).toContain("Content-Length: 17\r\n");
    expect(client.closed).toBe(false);
    client.destroy();
  });

  it("answers HTTP/1.0 clients: close by default, keep-alive when asked, close-delimited when the length is unknown", async () => {
    const { port } = await start({}, (req, res) => {
      if (req.url === "/stream") {
        res.write("one,");
        res.end("two");
      } else res.end("ok");
    });
    const plain = await exchange(port, "GET / HTTP/1.0\r\n\r\n");
    expect(plain).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(plain).toContain("Connection: close\r\n");
    expect(plain.endsWith("\r\n\r\nok")).toBe(true);

    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const first = await client.until((t) => t.endsWith("ok"));
    expect(first).toContain("Connection: keep-alive\r\n");
    client.write("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const rest = await client.untilClosed();
    const second = rest.slice(first.length);
    expect(second).not.toContain("Transfer-Encoding");
    expect(second).not.toContain("Content-Length");
    expect(second).toContain("Connection: close\r\n");
    expect(second.endsWith("\r\n\r\none,two")).toBe(true);
    client.destroy();

    const curl10 = await curl(["--http1.0", "-i", `http://127.0.0.1:${port}/stream`]);
    expect(curl10.stdout.endsWith("one,two")).toBe(true);
  });

  it("serves undici fetch, with keep-alive across requests", async () => {
    const ports = new Set<number | undefined>();
    const { url } = await start({}, async (req, res) => {
      ports.add(req.remotePort);
      if (req.method === "POST") {
        const body = await req.readBody();
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ got: body.toString() }));
        return;
      }
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("fetched");
    });
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${url}/f`);
      expect(r.status).toBe(200);
      expect(await r.text()).toBe("fetched");
    }
    const posted = await fetch(`${url}/p`, { method: "POST", body: "json please" });
    expect(await posted.json()).toEqual({ got: "json please" });
    // undici's pool may open a second connection while the first is being released; the
    // four requests still share kept-alive connections
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it("serves node:http as a client, including a streamed request body", async () => {
    const { port } = await start({}, async (req, res) => {
      const body = await req.readBody();
      res.end(`len=${body.length}`);
    });
    const text = await new Promise<string>((resolve, reject) => {
      const r = httpRequest({ host: "127.0.0.1", port, method: "PUT", path: "/n" }, (response) => {
        let out = "";
        response.on("data", (c: Buffer) => (out += c.toString()));
        response.on("end", () => resolve(out));
      });
      r.on("error", reject);
      r.write("a".repeat(1000));
      r.end("b".repeat(1000));
    });
    expect(text).toBe("len=2000");
  });

  it("reuses one connection for two URLs in one curl run", async () => {
    const ports = new Set<number | undefined>();
    let connectionsSeen = 0;
    const { server, url } = await start({}, (req, res) => {
      ports.add(req.remotePort);
      connectionsSeen = Math.max(connectionsSeen, server.connectionCount);
      res.end(req.url);
    });
    const r = await curl([`${url}/one`, `${url}/two`]);
    expect(r.stdout).toBe("/one/two");
    expect(ports.size).toBe(1);
    expect(connectionsSeen).toBe(1);
  });

  it("closes after a request with Connection: close, and when the response asks for it", async () => {
    const { port } = await start({}, (req, res) => {
      if (req.url === "/bye") res.writeHead(200, { Connection: "close", "Keep-Alive": "timeout=5" });
      res.end("x");
    });
    const byClient = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(byClient).toContain("Connection: close\r\n");
    const byServer = await exchange(port, "GET /bye HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(byServer).toContain("Connection: close\r\n");
    expect(byServer).not.toContain("Keep-Alive");
    expect(byServer.match(/Connection:/g)).toHaveLength(1);
  });

  it("answers a client that half-closes after its request", async () => {
    const { port } = await start({}, (req, res) => {
      setTimeout(() => res.end("late but delivered"), 20);
    });
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    client.socket.end();
    const text = await client.untilClosed();
    expect(text).toContain("Connection: close\r\n");
    expect(text.endsWith("late but delivered")).toBe(true);
  });

  it("frames by a given Content-Length and refuses to send more", async () => {
    const errors: string[] = [];
    const { port } = await start({ onError: (e) => errors.push(e.code) }, (req, res) => {
      res.writeHead(200, { "Content-Length": 6 });
      res.write("abc");
      if (req.url === "/short") {
        res.end(); // 3 bytes missing: the connection must be destroyed, not reused
        return;
      }
      expect(() => res.write("defg")).toThrow(/ContentLengthMismatch/);
      res.end("def");
    });
    const ok = await RawClient.connect(port);
    ok.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await ok.until((t) => t.endsWith("abcdef"));
    expect(text).toContain("Content-Length: 6\r\n");
    expect(text).not.toContain("Transfer-Encoding");
    ok.destroy();
    const short = await exchange(port, "GET /short HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(short.endsWith("abc")).toBe(true);
    expect(errors).toContain("ZP_HTTP_CONTENT_LENGTH_MISMATCH");
  });

  it("refuses header values that would split the response", async () => {
    const { port } = await start({}, (req, res) => {
      res.writeHead(200, { "X-Evil": "a\r\nSet-Cookie: stolen=1" });
      res.end("never");
    });
    const text = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(text).not.toContain("stolen");
  });
});
