import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { HeaderMap, RequestHeader } from "@zp/http";
import { Connector, HttpClient } from "@zp/http-client";
import { delay, httpServer, onRequestHeads, rawServer, type CountingHttpServer, type RawServer } from "./helpers/servers.js";

let client: HttpClient | undefined;
let connector: Connector | undefined;
let closers: (() => Promise<void>)[] = [];

function track<T extends CountingHttpServer | RawServer>(server: T): T {
  closers.push(server.close);
  return server;
}

afterEach(async () => {
  client?.close();
  connector?.close();
  client = connector = undefined;
  for (const close of closers) await close();
  closers = [];
});

/** A server that answers with the request's framing, size, SHA-256 and trailers. */
async function echoServer(): Promise<CountingHttpServer> {
  return track(
    await httpServer((req, res) => {
      const hash = createHash("sha256");
      let size = 0;
      let chunks = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        chunks++;
        hash.update(c);
      });
      req.on("end", () =>
        res.end(
          JSON.stringify({
            te: req.headers["transfer-encoding"] ?? null,
            cl: req.headers["content-length"] ?? null,
            size,
            chunks,
            sha: hash.digest("hex"),
            trailers: req.trailers,
          }),
        ),
      );
    }),
  );
}

describe("request bodies", () => {
  it("streams an AsyncIterable of 100 chunks, chunked", async () => {
    const server = await echoServer();
    client = new HttpClient();
    const expected = createHash("sha256");
    async function* pieces(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 100; i++) {
        const piece = Buffer.alloc(1000 + i, i);
        expected.update(piece);
        if (i % 10 === 0) await delay(1);
        yield piece;
      }
    }
    const res = await client.request(`${server.origin}/up`, { method: "POST", body: pieces() });
    const got = await res.body.json<{ te: string; size: number; sha: string }>();
    expect(got.te).toBe("chunked");
    expect(got.size).toBe(100 * 1000 + 4950);
    expect(got.sha).toBe(expected.digest("hex"));
  });

  it("streams a Readable with a Content-Length given in the headers", async () => {
    const server = await echoServer();
    client = new HttpClient();
    const body = Readable.from([Buffer.from("abc"), Buffer.from("defg")]);
    const res = await client.request(`${server.origin}/up`, { method: "PUT", body, headers: { "content-length": "7" } });
    const got = await res.body.json<{ te: string | null; cl: string; size: number }>();
    expect(got).toMatchObject({ te: null, cl: "7", size: 7 });
  });

  it("sends Buffer and string bodies with a Content-Length, and POST without body with Content-Length: 0", async () => {
    const server = await echoServer();
    client = new HttpClient();
    const big = Buffer.alloc(100_000, 7);
    const a = await (await client.request(`${server.origin}/`, { method: "POST", body: big })).body.json<{ cl: string; size: number }>();
    expect(a).toMatchObject({ cl: "100000", size: 100_000 });
    const b = await (await client.request(`${server.origin}/`, { method: "POST", body: "héllo" })).body.json<{ cl: string }>();
    expect(b.cl).toBe("6");
    const c = await (await client.request(`${server.origin}/`, { method: "POST" })).body.json<{ cl: string }>();
    expect(c.cl).toBe("0");
    expect(server.connections()).toBe(1);
  });

  it("writes a chunked request with trailers through the low-level API", async () => {
    const server = await echoServer();
    connector = new Connector();
    const conn = await connector.connect({ address: "127.0.0.1", port: server.port });
    const head = RequestHeader.build("POST", "/t").insertHeader("Host", "x").insertHeader("Trailer", "x-checksum");
    conn.writeRequestHeader(head, true);
    expect(head.headers.get("transfer-encoding")).toBe("chunked");
    expect(conn.writeBody("hello ")).toBe(true);
    conn.writeBody(Buffer.alloc(10_000, 0x61)); // a large chunk takes the corked three-write path
    conn.writeBody(""); // an empty write is not a last chunk
    conn.finishBody(new HeaderMap().append("X-Checksum", "abc123"));
    expect((await conn.readResponseHeader()).status).toBe(200);
    const got = JSON.parse((await collect(conn.body())).toString()) as { size: number; trailers: Record<string, string> };
    expect(got.size).toBe(10_006);
    expect(got.trailers).toEqual({ "x-checksum": "abc123" });
    expect(conn.release()).toBe(true);
  });
});

describe("response bodies", () => {
  it("reads a chunked response with trailers", async () => {
    const server = track(
      await httpServer((_req, res) => {
        res.writeHead(200, { Trailer: "X-Done" });
        res.write("one,");
        setTimeout(() => {
          res.write("two");
          res.addTrailers({ "X-Done": "yes" });
          res.end();
        }, 5);
      }),
    );
    client = new HttpClient();
    const res = await client.request(`${server.origin}/`);
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    const chunks: string[] = [];
    for await (const chunk of res.body) chunks.push(chunk.toString());
    expect(chunks.join("")).toBe("one,two");
    expect(res.trailers?.get("x-done")).toBe("yes");
    expect(client.connector.pool.size).toBe(1);
  });

  it("streams a 50 MB download with bounded memory and backpressure", async () => {
    const total = 50 * 1024 * 1024;
    const block = Buffer.alloc(64 * 1024, 0x5a);
    let written = 0;
    const server = track(
      await httpServer((_req, res) => {
        res.writeHead(200, { "Content-Length": String(total) });
        const pump = (): void => {
          while (written < total) {
            written += block.length;
            if (!res.write(block)) {
              res.once("drain", pump);
              return;
            }
          }
          res.end();
        };
        pump();
      }),
    );
    client = new HttpClient();
    const res = await client.request(`${server.origin}/big`);
    let received = 0;
    let stalled = false;
    let maxAhead = 0;
    const before = process.memoryUsage().arrayBuffers;
    let maxExternal = 0;
    for await (const chunk of res.body) {
      received += chunk.length;
      maxAhead = Math.max(maxAhead, written - received);
      if (!stalled && received > 5 * 1024 * 1024) {
        // A slow consumer: the server must be held back by TCP, not buffered by the client.
        stalled = true;
        const writtenBefore = written;
        await delay(300);
        expect(written - writtenBefore).toBeLessThan(24 * 1024 * 1024);
      }
      if ((received & 0xfffff) < chunk.length) maxExternal = Math.max(maxExternal, process.memoryUsage().arrayBuffers - before);
    }
    expect(received).toBe(total);
    // The server never got far ahead of what was consumed: kernel buffers plus 64 KiB held.
    expect(maxAhead).toBeLessThan(24 * 1024 * 1024);
    expect(maxExternal).toBeLessThan(40 * 1024 * 1024);
    expect(client.connector.pool.size).toBe(1);
  });

  it("pauses and resumes a push sink", async () => {
    const server = track(
      await httpServer((_req, res) => {
        res.writeHead(200, { "Content-Length": String(4 * 65536) });
        for (let i = 0; i < 4; i++) res.write(Buffer.alloc(65536, 0x30 + i));
        res.end();
      }),
    );
    connector = new Connector();
    const conn = await connector.connect({ address: "127.0.0.1", port: server.port });
    conn.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "x"));
    await conn.readResponseHeader();
    let bytes = 0;
    let ended = false;
    let pauses = 0;
    await new Promise<void>((resolve, reject) => {
      conn.setBodySink({
        onData(chunk) {
          bytes += chunk.length;
          conn.pause();
          pauses++;
          setTimeout(() => conn.resume(), 2);
        },
        onEnd() {
          ended = true;
          resolve();
        },
        onError: reject,
      });
    });
    expect(ended).toBe(true);
    expect(bytes).toBe(4 * 65536);
    expect(pauses).toBeGreaterThan(1);
    expect(conn.release()).toBe(true);
  });

  it("keeps every piece it delivered intact while later reads arrive (small and large pieces)", async () => {
    // pieces of 1 B to 200 KiB, each a distinct byte pattern, written with pauses so they
    // arrive in separate reads; the sink keeps them all and checks them only at the end
    const sizes = [1, 100, 4096, 4097, 20_000, 65_536, 200_000, 3, 5000, 70_000];
    const pattern = (i: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, k) => (i * 31 + k) & 0xff));
    const expected = Buffer.concat(sizes.map((n, i) => pattern(i, n)));
    const server = track(
      await rawServer((socket) => {
        onRequestHeads(socket, () => {
          socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${expected.length}\r\n\r\n`);
          let i = 0;
          const next = (): void => {
            if (i === sizes.length) return;
            socket.write(pattern(i, sizes[i]!));
            i++;
            setTimeout(next, 5);
          };
          next();
        });
      }),
    );
    connector = new Connector();
    const conn = await connector.connect({ address: "127.0.0.1", port: server.port });
    conn.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "x"));
    await conn.readResponseHeader();
    const kept: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      conn.setBodySink({ onData: (chunk) => void kept.push(chunk), onEnd: () => resolve(), onError: reject });
    });
    expect(kept.length).toBeGreaterThan(sizes.length / 2);
    expect(Buffer.concat(kept).equals(expected)).toBe(true);
    expect(conn.release()).toBe(true);
  });

  it("fails the exchange, not the process, when a sink throws", async () => {
    const server = track(
      await httpServer((_req, res) => {
        res.write("a");
        setTimeout(() => res.end("b"), 20);
      }),
    );
    connector = new Connector();
    const conn = await connector.connect({ address: "127.0.0.1", port: server.port });
    conn.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "x"));
    await conn.readResponseHeader();
    const failure = await new Promise<unknown>((resolve) => {
      let calls = 0;
      conn.setBodySink({
        onData() {
          if (++calls === 2) throw new Error("consumer bug");
        },
        onEnd: () => resolve(undefined),
        onError: resolve,
      });
    });
    expect(failure).toMatchObject({ code: "ZP_INTERNAL_ERROR", source: "Internal" });
    expect(conn.release()).toBe(false);
  });

  it("reads a close-delimited response until EOF and does not pool it", async () => {
    const raw = track(
      await rawServer((socket) =>
        onRequestHeads(socket, () => {
          socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part, ");
          setTimeout(() => socket.end("second part"), 20);
        }),
      ),
    );
    client = new HttpClient();
    const res = await client.request(raw.origin + "/");
    expect(await res.body.text()).toBe("first part, second part");
    expect(client.connector.pool.size).toBe(0);
  });
});

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}
