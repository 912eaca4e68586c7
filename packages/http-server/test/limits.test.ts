import { afterEach, describe, expect, it } from "vitest";
import type { ZpError } from "@zp/error";
import { RawClient, delay, exchange } from "@zp-test/support";
import { closeAll, start } from "./helpers/server.js";

afterEach(closeAll);

/** A server whose handler must never run; counts calls and reported error codes. */
async function guarded(options: Parameters<typeof start>[0] = {}) {
  const state = { calls: 0, errors: [] as string[] };
  const running = await start({ ...options, onError: (err) => state.errors.push(err.code) }, (req, res) => {
    state.calls++;
    res.end("handler ran");
  });
  return { ...running, state };
}

function expectRefusal(text: string, status: string): void {
  expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status}\\r\\n`));
  expect(text).toContain("Connection: close\r\n");
  expect(text).toContain("Content-Length: 0\r\n");
  expect(text).not.toContain("handler ran");
}

// Requests two parsers could frame differently (request smuggling), or simply malformed.
const SMUGGLING: Record<string, string> = {
  "Content-Length with Transfer-Encoding":
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
  "Transfer-Encoding with Content-Length":
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\nG",
  "obs-fold": "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
  "obs-fold of Transfer-Encoding": "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
  "two different Content-Lengths": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
  "two equal Content-Lengths": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
  "Content-Length list": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc",
  "signed Content-Length": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc",
  "Transfer-Encoding not ending in chunked": "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
  "unknown transfer coding": "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
  "space before the colon": "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
  "bare LF line endings": "GET / HTTP/1.1\nHost: x\n\n",
  "bare CR": "GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n",
  "NUL in a field value": "GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n",
  "bad chunk size": "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
  "chunk data without CRLF": "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
  "unknown method": "FOO / HTTP/1.1\r\nHost: x\r\n\r\n",
  "bad protocol name": "GET / HTTQ/1.1\r\nHost: x\r\n\r\n",
  "userinfo in the target": "GET http://user@example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n",
  "TLS handshake on the plain port": "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003",
};

describe("malformed and ambiguous requests", () => {
  for (const [name, wire] of Object.entries(SMUGGLING)) {
    it(`refuses ${name} with 400 and closes, never calling the handler`, async () => {
      const { port, state } = await guarded();
      const text = await exchange(port, wire);
      expectRefusal(text, "400 Bad Request");
      expect(state.calls).toBe(0);
      expect(state.errors.length).toBeGreaterThan(0);
    });
  }

  it("answers a valid request queued before a smuggling attempt, and never the smuggled one", async () => {
    const { port, state } = await guarded();
    const text = await exchange(
      port,
      "GET /ok HTTP/1.1\r\nHost: x\r\n\r\nPOST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    expect(state.calls).toBe(1);
    expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(2);
    expect(text).toMatch(/handler ranHTTP\/1\.1 400 Bad Request\r\n/);
  });

  it("refuses HTTP/2.0 and HTTP/0.9 request lines with 505", async () => {
    const { port, state } = await guarded();
    expectRefusal(await exchange(port, "GET / HTTP/2.0\r\nHost: x\r\n\r\n"), "505 HTTP Version Not Supported");
    expectRefusal(await exchange(port, "GET / HTTP/0.9\r\nHost: x\r\n\r\n"), "505 HTTP Version Not Supported");
    expectRefusal(await exchange(port, "GET /\r\n\r\n"), "505 HTTP Version Not Supported"); // an HTTP/0.9 simple request
    expect(state.calls).toBe(0);
  });
});

describe("size limits", () => {
  it("answers 431 to a head above maxHeaderBytes", async () => {
    const { port, state } = await guarded({ maxHeaderBytes: 4096 });
    const text = await exchange(port, `GET / HTTP/1.1\r\nHost: x\r\nCookie: ${"c".repeat(5000)}\r\n\r\n`);
    expectRefusal(text, "431 Request Header Fields Too Large");
    expect(state.calls).toBe(0);
    expect(state.errors).toContain("ZP_H1_ERROR");
  });

  it("answers 431 to more fields than maxHeaders, even when they arrive one at a time", async () => {
    const { port, state } = await guarded({ maxHeaders: 10 });
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n");
    for (let i = 0; i < 12; i++) {
      client.write(`X-${i}: v\r\n`);
      await delay(2);
    }
    const text = await client.untilClosed();
    expectRefusal(text, "431 Request Header Fields Too Large");
    expect(state.calls).toBe(0);
  });

  it("answers 414 to a target above maxUrlLength", async () => {
    const { port, state } = await guarded({ maxUrlLength: 100 });
    expectRefusal(await exchange(port, `GET /${"u".repeat(200)} HTTP/1.1\r\nHost: x\r\n\r\n`), "414 URI Too Long");
    const fine = await exchange(port, `GET /${"u".repeat(90)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(fine).toContain("handler ran");
    expect(state.calls).toBe(1);
  });

  it("answers 413 to a declared body above maxBodySize without calling the handler", async () => {
    const { port, state } = await guarded({ maxBodySize: 100 });
    expectRefusal(await exchange(port, `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n${"b".repeat(101)}`), "413 Content Too Large");
    expect(state.calls).toBe(0);
    expect(state.errors).toContain("ZP_HTTP_STATUS");
  });

  it("answers 413 when a chunked body grows past maxBodySize in one packet, without calling the handler", async () => {
    const { port, state } = await guarded({ maxBodySize: 100 });
    const text = await exchange(port, `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n80\r\n${"b".repeat(128)}\r\n0\r\n\r\n`);
    expectRefusal(text, "413 Content Too Large");
    expect(state.calls).toBe(0);
  });

  it("fails a streaming reader with 413 when a chunked body grows past maxBodySize", async () => {
    let failure: ZpError | undefined;
    let received = 0;
    const { port } = await start({ maxBodySize: 1000 }, (req, res) => {
      req.setBodySink({
        onData(chunk) {
          received += chunk.length;
        },
        onEnd() {
          res.end("complete?");
        },
        onError(err) {
          failure = err;
        },
      });
    });
    const client = await RawClient.connect(port);
    client.write(`POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n${"a".repeat(600)}\r\n`);
    await delay(20);
    client.write(`258\r\n${"a".repeat(600)}\r\n0\r\n\r\n`);
    const text = await client.untilClosed();
    expectRefusal(text, "413 Content Too Large");
    expect(received).toBe(600);
    expect(failure?.type.status).toBe(413);
  });
});

describe("memory per connection", () => {
  it("holds no read buffer per idle keep-alive connection: reads share one", async () => {
    const { port } = await start({}, (req, res) => res.end("ok"));
    const warm = await RawClient.connect(port);
    warm.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await warm.until((t) => t.endsWith("ok"));
    global.gc?.();
    const before = process.memoryUsage().arrayBuffers;
    const clients: RawClient[] = [];
    for (let i = 0; i < 300; i++) {
      const c = await RawClient.connect(port);
      c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      clients.push(c);
    }
    for (const c of clients) await c.until((t) => t.endsWith("ok"));
    // all 300 connections have read a request and are idle now; a 64 KiB buffer each would be 19 MiB
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(4 * 1024 * 1024);
    for (const c of [warm, ...clients]) c.destroy();
  });
});
