import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import { curl, delay, exchange, RawClient } from "@zp-test/support";
import { closeAll, start } from "./helpers/server.js";

afterEach(closeAll);

// A real collector, to measure live memory rather than garbage not yet collected.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const BIG = 50 * 1024 * 1024;
let dir = "";
let bigFile = "";
let bigHash = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "zp-http-server-"));
  bigFile = join(dir, "big.bin");
  const block = randomBytes(1024 * 1024);
  const hash = createHash("sha256");
  const data = Buffer.allocUnsafe(BIG);
  for (let at = 0; at < BIG; at += block.length) {
    block[0] = at >>> 20; // every MiB differs
    block.copy(data, at);
  }
  hash.update(data);
  bigHash = hash.digest("hex");
  writeFileSync(bigFile, data);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("request bodies", () => {
  it("keeps concurrent uploads apart, though every connection reads into one shared buffer", async () => {
    const bodies = Array.from({ length: 4 }, () => randomBytes(1_000_000));
    const { port } = await start({ maxBodySize: 2_000_000 }, async (req, res) => {
      // read slowly, so pieces of all four uploads are held while the others keep reading
      const pieces: Buffer[] = [];
      for await (const piece of req) {
        pieces.push(piece as Buffer);
        await delay(1);
      }
      res.end(createHash("sha256").update(Buffer.concat(pieces)).digest("hex"));
    });
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const client = await RawClient.connect(port);
        client.write(Buffer.concat([Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
        const text = await client.untilClosed(10_000);
        client.destroy();
        return text.slice(text.indexOf("\r\n\r\n") + 4);
      }),
    );
    expect(answers).toEqual(bodies.map((b) => createHash("sha256").update(b).digest("hex")));
  });

  it("keeps every body piece and the head intact while later reads arrive (small and large pieces)", async () => {
    // the head is read only after the whole body came in, and every piece is kept to the end:
    // nothing handed out may be overwritten by a later read
    const sizes = [1, 100, 4096, 4097, 20_000, 65_536, 200_000, 3, 5000, 70_000];
    const pattern = (i: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, k) => (i * 31 + k) & 0xff));
    const expected = Buffer.concat(sizes.map((n, i) => pattern(i, n)));
    let verdict = "";
    const done = new Promise<void>((resolve) => {
      void start({}, (req, res) => {
        const kept: Buffer[] = [];
        req.setBodySink({
          onData: (chunk) => void kept.push(chunk),
          onEnd() {
            const same = Buffer.concat(kept).equals(expected);
            verdict = `${kept.length > sizes.length / 2} ${same} ${req.url} ${req.head.headers.get("x-marker")}`;
            res.end("ok");
            resolve();
          },
          onError: (err) => res.writeHead(500).end(err.code),
        });
      }).then(async ({ port }) => {
        const client = await RawClient.connect(port);
        client.write(`POST /keep/${"p".repeat(300)} HTTP/1.1\r\nHost: x\r\nX-Marker: ${"m".repeat(200)}\r\nContent-Length: ${expected.length}\r\n\r\n`);
        let at = 0;
        for (const n of sizes) {
          await delay(5);
          client.write(expected.subarray(at, at + n));
          at += n;
        }
        await client.until((t) => t.includes("ok"));
        client.destroy();
      });
    });
    await done;
    expect(verdict).toBe(`true true /keep/${"p".repeat(300)} ${"m".repeat(200)}`);
  });

  it("streams a 50 MB upload read slowly through a sink with bounded memory", async () => {
    gc();
    const base = process.memoryUsage();
    let peakRetained = 0;
    let peakUnread = 0;
    let pauses = 0;
    const { url } = await start({}, (req, res) => {
      const hash = createHash("sha256");
      let total = 0;
      let sincePause = 0;
      req.setBodySink({
        onData(chunk) {
          hash.update(chunk);
          total += chunk.length;
          sincePause += chunk.length;
          // bytes taken from the socket but not yet handed to us
          peakUnread = Math.max(peakUnread, req.socket.bytesRead - total - 200);
          if (sincePause >= 512 * 1024) {
            // a slow consumer: the socket must stop reading meanwhile
            sincePause = 0;
            if (++pauses % 10 === 0) {
              gc();
              peakRetained = Math.max(peakRetained, process.memoryUsage().arrayBuffers - base.arrayBuffers);
            }
            req.pause();
            setTimeout(() => req.resume(), 8);
          }
        },
        onEnd() {
          res.end(`${total} ${hash.digest("hex")}`);
        },
        onError(err) {
          res.writeHead(500).end(err.code);
        },
      });
    });
    const r = await curl(["-T", bigFile, `${url}/big`]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`${BIG} ${bigHash}`);
    expect(pauses).toBeGreaterThan(50);
    // The server never holds more than one socket read beyond what the sink took...
    expect(peakUnread).toBeLessThanOrEqual(128 * 1024);
    // ...so live memory stays far below the body size.
    expect(peakRetained).toBeLessThan(16 * 1024 * 1024);
  });

  it("delivers chunks, pause/resume and trailers to a sink", async () => {
    const events: string[] = [];
    let trailers: HeaderMap | undefined;
    const { port } = await start({}, (req, res) => {
      req.setBodySink({
        onData(chunk) {
          events.push(chunk.toString());
          req.pause();
          setTimeout(() => req.resume(), 5);
        },
        onEnd(t) {
          trailers = t;
          events.push("end");
          res.end("done");
        },
        onError(err) {
          events.push(`error ${err.code}`);
        },
      });
    });
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
    await delay(20);
    client.write("6\r\nsecond\r\n0\r\nX-Sum: 11\r\n\r\n");
    await client.until((t) => t.endsWith("done"));
    expect(events).toEqual(["first", "second", "end"]);
    expect(trailers?.get("x-sum")).toBe("11");
    client.destroy();
  });

  it("tells the sink when the client goes away mid-body", async () => {
    let failure: ZpError | undefined;
    const done = new Promise<void>((resolve) => {
      void start({}, (req) => {
        req.setBodySink({ onData() {}, onEnd() {}, onError(err) { failure = err; resolve(); } });
      }).then(async ({ port }) => {
        const client = await RawClient.connect(port);
        client.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial");
        await delay(20);
        client.destroy();
      });
    });
    await done;
    expect(failure?.code).toBe("ZP_CONNECTION_CLOSED");
  });

  it("drops an unread body after the answer and keeps the connection", async () => {
    let calls = 0;
    const { port } = await start({}, (req, res) => {
      calls++;
      res.end(`answer ${req.url}`); // the body is never read
    });
    const client = await RawClient.connect(port);
    client.write(`POST /first HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${"a".repeat(50_000)}`);
    await client.until((t) => t.endsWith("answer /first"));
    client.write(`${"a".repeat(50_000)}GET /second HTTP/1.1\r\nHost: x\r\n\r\n`);
    await client.until((t) => t.endsWith("answer /second"));
    expect(calls).toBe(2);
    client.destroy();
  });

  it("stops an async iterator early without breaking the connection", async () => {
    const { port } = await start({}, async (req, res) => {
      if (req.method === "POST") {
        for await (const chunk of req) {
          res.end(`first chunk ${chunk.length > 0}`);
          break;
        }
        return;
      }
      res.end("next ok");
    });
    const client = await RawClient.connect(port);
    client.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n${"b".repeat(20_000)}GET / HTTP/1.1\r\nHost: x\r\n\r\n`);
    const text = await client.until((t) => t.endsWith("next ok"));
    expect(text).toContain("first chunk true");
    client.destroy();
  });

  it("answers 413 when readBody's limit is passed and the handler lets it throw", async () => {
    const { port } = await start({}, async (req, res) => {
      const body = await req.readBody(10);
      res.end(body);
    });
    const text = await exchange(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n01234567890123456789");
    expect(text).toMatch(/^HTTP\/1\.1 413 Content Too Large\r\n/);
  });
});

describe("Expect: 100-continue", () => {
  it("sends 100 Continue to curl when the handler starts reading", async () => {
    const { url } = await start({}, async (req, res) => {
      const body = await req.readBody(4 * 1024 * 1024);
      res.end(`got ${body.length} expect=${req.expectContinue}`);
    });
    const payload = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const r = await curl(["-v", "-H", "Expect: 100-continue", "--expect100-timeout", "15", "--data-binary", "@-", url], payload);
    expect(r.stdout).toBe(`got ${payload.length} expect=true`);
    expect(r.stderr).toContain("< HTTP/1.1 100 Continue");
  });

  it("waits for the first read before sending 100 Continue on a raw socket", async () => {
    let read: (() => void) | undefined;
    const { port } = await start({}, (req, res) => {
      read = () => void req.readBody().then((b) => res.end(`body=${b.toString()}`));
    });
    const client = await RawClient.connect(port);
    client.write("PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    await delay(30);
    expect(client.text).toBe("");
    read!();
    await client.until((t) => t === "HTTP/1.1 100 Continue\r\n\r\n");
    client.write("hello");
    const text = await client.until((t) => t.endsWith("body=hello"));
    expect(text.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")).toBe(true);
    client.destroy();
  });

  it("with autoContinue off sends 100 only from writeContinue, and closes after an answer that skipped the body", async () => {
    const { port } = await start({ autoContinue: false }, async (req, res) => {
      if (req.url === "/manual") {
        res.writeContinue();
        res.end(`body=${(await req.readBody()).toString()}`);
        return;
      }
      res.writeHead(401, { "WWW-Authenticate": "Basic" }).end(); // the body is never wanted
    });
    const refused = await exchange(port, "PUT /denied HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    expect(refused).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(refused).not.toContain("100 Continue");
    expect(refused).toContain("Connection: close\r\n");

    const client = await RawClient.connect(port);
    client.write("PUT /manual HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    await client.until((t) => t.includes("100 Continue\r\n\r\n"));
    client.write("ok");
    await client.until((t) => t.endsWith("body=ok"));
    client.destroy();
  });

  it("refuses an announced body above maxBodySize with 413 before any 100 or handler call", async () => {
    let calls = 0;
    const { port } = await start({ maxBodySize: 1000 }, (req, res) => {
      calls++;
      res.end();
    });
    const text = await exchange(port, "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 413 Content Too Large\r\n/);
    expect(text).not.toContain("100 Continue");
    expect(calls).toBe(0);
  });
});
