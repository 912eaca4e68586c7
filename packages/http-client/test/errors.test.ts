import { createServer, type AddressInfo, type Socket } from "node:net";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorType, RetryType, ZpError } from "@zp/error";
import { RequestHeader } from "@zp/http";
import { ClientErrorType, Connector, HttpClient, type ClientConnection } from "@zp/http-client";
import { blockedListener } from "@zp-test/support";
import { delay, onRequestHeads, rawServer, type RawServer } from "./helpers/servers.js";

let client: HttpClient | undefined;
let connector: Connector | undefined;
let servers: RawServer[] = [];

afterEach(async () => {
  client?.close();
  connector?.close();
  client = connector = undefined;
  for (const s of servers) await s.close();
  servers = [];
});

async function failure(p: Promise<unknown>): Promise<ZpError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ZpError);
  return err as ZpError;
}

/** A raw server answering every request with `response`, counting connections. */
async function answering(response: string | ((socket: Socket) => void)): Promise<RawServer> {
  const server = await rawServer((socket) =>
    onRequestHeads(socket, () => {
      if (typeof response === "string") socket.write(response);
      else response(socket);
    }),
  );
  servers.push(server);
  return server;
}

describe("connecting", () => {
  it("reports a refused connection as ConnectRefused, retryable", async () => {
    const probe = createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, "close");
    client = new HttpClient();
    const err = await failure(client.request(`http://127.0.0.1:${port}/`));
    expect(err.type).toBe(ErrorType.ConnectRefused);
    expect(err.retry).toEqual(RetryType.Decided(true));
    expect(err.source).toBe("Upstream");
  });

  it("times a TCP connect out on the wheel: ConnectTimeout", async () => {
    const blocked = await blockedListener();
    try {
      connector = new Connector({ timeouts: { connectMs: 150 } });
      const started = performance.now();
      const err = await failure(connector.connect({ address: "127.0.0.1", port: blocked.port }));
      expect(err.type).toBe(ErrorType.ConnectTimeout);
      expect(err.retryable()).toBe(true);
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    } finally {
      blocked.close();
    }
  });

  it("times a TLS handshake out when the server never answers it: TLSHandshakeTimeout", async () => {
    const silent = await rawServer(() => {});
    servers.push(silent);
    connector = new Connector({ timeouts: { connectMs: 150 } });
    const err = await failure(connector.connect({ address: "127.0.0.1", port: silent.port, tls: true, sni: "localhost" }));
    expect(err.type).toBe(ErrorType.TLSHandshakeTimeout);
  });
});

describe("timeouts on an open connection", () => {
  it("fails with ReadTimeout when the server sends nothing", async () => {
    const server = await answering(() => {});
    client = new HttpClient({ timeouts: { readMs: 100 } });
    const err = await failure(client.request(`${server.origin}/`));
    expect(err.type).toBe(ErrorType.ReadTimeout);
    expect(err.retry).toEqual(RetryType.Decided(false));
  });

  it("fails the body with ReadTimeout when the server stalls after the head", async () => {
    const server = await answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome");
    client = new HttpClient({ timeouts: { readMs: 100 } });
    const res = await client.request(`${server.origin}/`);
    expect(res.status).toBe(200);
    const err = await failure(res.body.text());
    expect(err.type).toBe(ErrorType.ReadTimeout);
    expect(client.connector.pool.size).toBe(0);
  });

  it("times out a later exchange on a kept-alive connection, and never one idle in the pool", async () => {
    // the first request is answered, the third is not; in between the connection idles for
    // longer than the read timeout
    const server = await rawServer((socket) =>
      onRequestHeads(socket, (_head, index) => {
        if (index < 2) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      }),
    );
    servers.push(server);
    client = new HttpClient({ timeouts: { readMs: 150 } });
    expect(await (await client.request(`${server.origin}/`)).body.text()).toBe("ok");
    await delay(400); // parked read timer comes due while the connection is idle
    const second = await client.request(`${server.origin}/`);
    expect(await second.body.text()).toBe("ok");
    expect(server.connections()).toBe(1); // the idle connection survived its parked timer
    const started = performance.now();
    const err = await failure(client.request(`${server.origin}/`));
    const waited = performance.now() - started;
    expect(err.type).toBe(ErrorType.ReadTimeout);
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(1000);
    expect(server.connections()).toBe(1);
  });

  it("keeps the read timeout off while bytes keep coming", async () => {
    const server = await answering((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      let n = 0;
      const t = setInterval(() => {
        if (++n === 11) {
          clearInterval(t);
          socket.write("0\r\n\r\n");
        } else socket.write("1\r\nx\r\n");
      }, 40);
    });
    client = new HttpClient({ timeouts: { readMs: 300 } });
    const res = await client.request(`${server.origin}/`);
    expect(await res.body.text()).toBe("x".repeat(10)); // 400 ms in all, more than readMs
  });

  it("fails with WriteTimeout when the server stops reading the body", async () => {
    const server = await rawServer((socket) => socket.pause());
    servers.push(server);
    connector = new Connector({ timeouts: { writeMs: 150 } });
    const conn = await connector.connect({ address: "127.0.0.1", port: server.port });
    conn.writeRequestHeader(RequestHeader.build("POST", "/").insertHeader("Host", "x"), true);
    const block = Buffer.alloc(1024 * 1024);
    const err = await failure(
      (async () => {
        for (;;) if (!conn.writeBody(block)) await conn.waitDrain();
      })(),
    );
    expect(err.type).toBe(ErrorType.WriteTimeout);
  });

  it("fails with TotalTimeout when the whole exchange takes too long", async () => {
    const server = await answering((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
      let n = 0;
      const t = setInterval(() => {
        socket.write("x");
        if (++n === 10) clearInterval(t);
      }, 200);
      socket.on("close", () => clearInterval(t));
    });
    client = new HttpClient({ timeouts: { readMs: 1000, totalMs: 150 } });
    const res = await client.request(`${server.origin}/`);
    const err = await failure(res.body.text());
    expect(err.type).toBe(ClientErrorType.TotalTimeout);
    expect(err.code).toBe("ZP_TOTAL_TIMEOUT");
  });
});

describe("malformed responses", () => {
  const cases: [string, string, ErrorType][] = [
    ["a bad status line", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", ErrorType.H1Error],
    ["Content-Length with Transfer-Encoding", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", ErrorType.InvalidHTTPHeader],
    ["two Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", ErrorType.InvalidHTTPHeader],
    ["a space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", ErrorType.InvalidHTTPHeader],
    ["an HTTP/2.0 status line", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", ErrorType.H1Error],
  ];
  for (const [name, response, type] of cases) {
    it(`refuses ${name} (${type.name}) and never reuses the connection`, async () => {
      const server = await answering(response);
      client = new HttpClient();
      const err = await failure(client.request(`${server.origin}/`));
      expect(err.type).toBe(type);
      expect(err.retry).toEqual(RetryType.Decided(false));
      expect(client.connector.pool.size).toBe(0);
    });
  }

  it("refuses a bad chunk in the body (H1Error) and closes the connection", async () => {
    const server = await answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n");
    client = new HttpClient();
    const res = await client.request(`${server.origin}/`);
    const err = await failure(res.body.text());
    expect(err.type).toBe(ErrorType.H1Error);
    expect(client.connector.pool.size).toBe(0);
    await delay(20);
    expect(server.connections()).toBe(1);
  });

  it("reports a body cut short by the server as ConnectionClosed", async () => {
    const server = await answering((socket) => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
    client = new HttpClient();
    const res = await client.request(`${server.origin}/`);
    const err = await failure(res.body.text());
    expect(err.type).toBe(ErrorType.ConnectionClosed);
    expect(err.retry).toEqual(RetryType.Decided(false));
  });
});

describe("limits", () => {
  it("refuses a response head over maxResponseHeaderBytes and over maxResponseHeaders", async () => {
    const big = await answering(`HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(3000)}\r\nContent-Length: 0\r\n\r\n`);
    client = new HttpClient({ maxResponseHeaderBytes: 1024, maxResponseHeaders: 4 });
    expect((await failure(client.request(`${big.origin}/`))).type).toBe(ErrorType.InvalidHTTPHeader);
    const many = await answering(`HTTP/1.1 200 OK\r\n${"X-A: 1\r\n".repeat(5)}Content-Length: 0\r\n\r\n`);
    expect((await failure(client.request(`${many.origin}/`))).type).toBe(ErrorType.InvalidHTTPHeader);
  });

  it("enforces maxBodySize on a declared length and on a streamed body", async () => {
    const declared = await answering(`HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n${"a".repeat(2000)}`);
    client = new HttpClient({ maxBodySize: 1000 });
    expect((await failure(client.request(`${declared.origin}/`))).type).toBe(ErrorType.LimitExceeded);
    const chunked = await answering(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n${"a".repeat(2000)}\r\n0\r\n\r\n`);
    const res = await client.request(`${chunked.origin}/`);
    expect((await failure(res.body.text())).type).toBe(ErrorType.LimitExceeded);
  });
});

describe("misuse and request framing", () => {
  let server: RawServer;
  let conn: ClientConnection;

  async function fresh(): Promise<void> {
    server = await answering("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    connector = new Connector();
    conn = await connector.connect({ address: "127.0.0.1", port: server.port });
  }

  it("refuses a second exchange before the first ended, and a body for a request without one", async () => {
    await fresh();
    conn.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "x"));
    expect(() => conn.writeRequestHeader(RequestHeader.build("GET", "/"))).toThrow(/already under way/);
    expect(() => conn.writeBody("x")).toThrow(/no request body/);
    await conn.readResponseHeader();
    await expect(conn.readResponseHeader()).rejects.toMatchObject({ code: "ZP_INTERNAL_ERROR" });
    expect(conn.release()).toBe(true);
  });

  it("refuses framing that would desynchronise the upstream", async () => {
    await fresh();
    const both = RequestHeader.build("POST", "/").insertHeader("Content-Length", "3").insertHeader("Transfer-Encoding", "chunked");
    expect(() => conn.writeRequestHeader(both, 3)).toThrow(ZpError);
    const notChunked = RequestHeader.build("POST", "/").insertHeader("Transfer-Encoding", "gzip");
    expect(() => conn.writeRequestHeader(notChunked)).toThrow(/must end in chunked/);
    const http10 = RequestHeader.build("POST", "/", "HTTP/1.0");
    expect(() => conn.writeRequestHeader(http10, true)).toThrow(/HTTP\/1.0/);
    const mismatch = RequestHeader.build("POST", "/").insertHeader("Content-Length", "3");
    expect(() => conn.writeRequestHeader(mismatch, 4)).toThrow(/Content-Length 3/);
    // Nothing was sent: the connection is still usable.
    const ok = RequestHeader.build("POST", "/").insertHeader("Content-Length", "3");
    conn.writeRequestHeader(ok);
    expect(() => conn.writeBody("toolong")).toThrow(/exceeds its Content-Length/);
    await expect(conn.readResponseHeader()).rejects.toMatchObject({ code: "ZP_INVALID_HTTP_HEADER" });
    expect(conn.release()).toBe(false);
  });

  it("closes the connection when a Content-Length body ends short", async () => {
    await fresh();
    conn.writeRequestHeader(RequestHeader.build("PUT", "/").insertHeader("Host", "x"), 10);
    conn.writeBody("12345");
    expect(() => conn.finishBody()).toThrow(/5 bytes short/);
    expect(conn.release()).toBe(false);
  });
});
