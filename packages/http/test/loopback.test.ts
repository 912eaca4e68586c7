import fc from "fast-check";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestHeader, ResponseHeader } from "./helpers.js";

/** What node:http's server saw of one request. */
interface Seen {
  method: string;
  url: string;
  httpVersion: string;
  rawHeaders: string[];
}

let server: http.Server;
let port = 0;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, httpVersion: req.httpVersion, rawHeaders: req.rawHeaders });
    res.setHeader("Content-Length", "0");
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A keep-alive connection that sends raw request heads and waits for each response. */
class RawClient {
  private readonly socket: net.Socket;
  private pending = "";
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      this.pending += chunk;
      let end: number;
      while ((end = this.pending.indexOf("\r\n\r\n")) !== -1) {
        this.pending = this.pending.slice(end + 4);
        this.waiters.shift()?.resolve();
      }
    });
    socket.on("error", (err) => {
      for (const w of this.waiters.splice(0)) w.reject(err);
    });
  }
  static async connect(): Promise<RawClient> {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    return new RawClient(socket);
  }
  /** Sends the bytes and resolves when a response head (with no body) has arrived. */
  send(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.socket.write(bytes);
    });
  }
  close(): void {
    this.socket.destroy();
  }
}

describe("requests read by node:http's server", () => {
  it("arrive with exactly our headers: order, case and repeats kept", async () => {
    const req = RequestHeader.build("POST", "/submit?x=1&y=[2]")
      .appendHeader("Host", "127.0.0.1")
      .appendHeader("x-lower", "a")
      .appendHeader("X-MiXeD-CaSe", "b")
      .appendHeader("Accept", "text/html")
      .appendHeader("accept", "application/json")
      .appendHeader("X-Latin1", "caf\xe9")
      .appendHeader("Content-Length", "0");
    const client = await RawClient.connect();
    seen.length = 0;
    await client.send(req.toBuffer());
    client.close();
    expect(seen).toEqual([
      {
        method: "POST",
        url: "/submit?x=1&y=[2]",
        httpVersion: "1.1",
        rawHeaders: req.headers.toRawHeaders(),
      },
    ]);
    expect(seen[0]!.rawHeaders).toContain("caf\xe9");
  });

  it("round-trip any valid head (property, one keep-alive connection)", async () => {
    const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,16}$/).filter((n) => !/^(host|content-length|transfer-encoding|connection|expect|upgrade)$/i.test(n));
    const valueChar = fc.oneof(
      fc.integer({ min: 0x21, max: 0x7e }),
      fc.constantFrom(0x20, 0x09),
      fc.integer({ min: 0x80, max: 0xff }),
    );
    const value = fc
      .array(valueChar, { maxLength: 40 })
      .map((codes) => String.fromCharCode(...codes).replace(/^[\t ]+|[\t ]+$/g, ""));
    const pathChars = fc.stringMatching(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/]{0,20}$/);
    const target = fc.tuple(pathChars, fc.option(pathChars, { nil: undefined })).map(([p, q]) => `/${p}${q === undefined ? "" : `?${q}`}`);
    const method = fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
    const client = await RawClient.connect();
    try {
      await fc.assert(
        fc.asyncProperty(method, target, fc.array(fc.tuple(token, value), { maxLength: 12 }), async (m, t, fields) => {
          const req = RequestHeader.build(m, t, "HTTP/1.1").appendHeader("Host", "127.0.0.1");
          for (const [n, v] of fields) req.appendHeader(n, v);
          seen.length = 0;
          await client.send(req.toBuffer());
          expect(seen).toHaveLength(1);
          expect(seen[0]!.method).toBe(m);
          expect(seen[0]!.url).toBe(t);
          expect(seen[0]!.rawHeaders).toEqual(req.headers.toRawHeaders());
        }),
        { numRuns: 150 },
      );
    } finally {
      client.close();
    }
  });
});

/** Serves each connection one raw response, then closes. */
async function serveRaw(bytes: Buffer): Promise<{ port: number; close: () => Promise<void> }> {
  const raw = net.createServer((socket) => {
    socket.once("data", () => socket.end(bytes));
  });
  await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
  return {
    port: (raw.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => raw.close(() => resolve())),
  };
}

function fetchRaw(rawPort: number): Promise<http.IncomingMessage & { body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: rawPort, path: "/", agent: false }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(Object.assign(res, { body })));
    });
    req.on("error", reject);
  });
}

describe("responses read by node:http's client", () => {
  it("arrive with exactly our status line and headers", async () => {
    const res = ResponseHeader.build(201)
      .setReasonPhrase("Made It")
      .appendHeader("Content-Type", "text/plain")
      .appendHeader("set-cookie", "a=1")
      .appendHeader("Set-Cookie", "b=2")
      .appendHeader("X-Latin1", "\xe9t\xe9")
      .appendHeader("Content-Length", "2")
      .appendHeader("Connection", "close");
    const body = Buffer.from("ok");
    const head = res.toBuffer();
    const both = Buffer.allocUnsafe(head.length + body.length);
    res.writeInto(both, 0);
    body.copy(both, head.length);
    const raw = await serveRaw(both);
    try {
      const got = await fetchRaw(raw.port);
      expect(got.statusCode).toBe(201);
      expect(got.statusMessage).toBe("Made It");
      expect(got.httpVersion).toBe("1.1");
      expect(got.rawHeaders).toEqual(res.headers.toRawHeaders());
      expect(got.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
      expect(got.body).toBe("ok");
    } finally {
      await raw.close();
    }
  });

  it("round-trip any status, reason and fields (property)", async () => {
    const reason = fc
      .array(fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.constant(0x20)), { maxLength: 20 })
      .map((c) => String.fromCharCode(...c).trim());
    const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/).filter((n) => !/^(content-length|transfer-encoding|connection)$/i.test(n));
    const value = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }), fc.option(reason, { nil: undefined }), fc.array(fc.tuple(token, value), { maxLength: 8 }), async (status, why, fields) => {
        const res = ResponseHeader.build(status).setReasonPhrase(why);
        for (const [n, v] of fields) res.appendHeader(n, v);
        res.appendHeader("Connection", "close");
        const raw = await serveRaw(res.toBuffer());
        try {
          const got = await fetchRaw(raw.port);
          expect(got.statusCode).toBe(status);
          expect(got.statusMessage).toBe(res.reason);
          expect(got.rawHeaders).toEqual(res.headers.toRawHeaders());
        } finally {
          await raw.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
