import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpPeer, type ProxyHttp, type Session } from "../src/index.js";
import { blockedListener, delay, RawClient } from "@zp-test/support";
import { testPki } from "./helpers/pki.js";
import { closeProxies, startProxy } from "./helpers/proxy.js";
import { closeUpstreams, closedPort, httpUpstream, rawUpstream } from "./helpers/upstreams.js";

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

function to(peer: HttpPeer, extra: Partial<ProxyHttp> = {}): ProxyHttp {
  return { upstreamPeer: () => peer, ...extra };
}

describe("upstream failures become statuses", () => {
  it("answers 502 when the upstream refuses the connection, as HTML or JSON", async () => {
    const { url, logger } = await startProxy(to(new HttpPeer(`127.0.0.1:${await closedPort()}`)), { maxRetries: 0 });
    const html = await fetch(`${url}/x`);
    expect(html.status).toBe(502);
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(html.headers.get("cache-control")).toBe("private, no-store");
    expect(await html.text()).toContain("<h1>502 Bad Gateway</h1>");
    const json = await fetch(`${url}/x`, { headers: { Accept: "application/json, text/html;q=0.5" } });
    expect(json.status).toBe(502);
    expect(await json.json()).toEqual({ error: { status: 502, message: "Bad Gateway" } });
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[0]).toContain("ConnectRefused");
    expect(logger.errors[0]).toContain("GET /x, Host: 127.0.0.1");
  });

  it("answers 502 when connecting times out", async () => {
    const blocked = await blockedListener();
    try {
      const peer = new HttpPeer(`127.0.0.1:${blocked.port}`, { timeouts: { connectMs: 200 } });
      const { url, logger } = await startProxy(to(peer), { maxRetries: 0 });
      const res = await fetch(url);
      expect(res.status).toBe(502);
      expect(logger.errors[0]).toContain("ConnectTimeout");
    } finally {
      blocked.close();
    }
  });

  it("answers 504 when the upstream does not answer in time", async () => {
    const up = await httpUpstream(() => {
      // never answers
    });
    const peer = new HttpPeer(up.endpoint, { timeouts: { readMs: 200 } });
    const { url, logger } = await startProxy(to(peer));
    const started = Date.now();
    const res = await fetch(url);
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logger.errors[0]).toContain("ReadTimeout");
  });

  it("answers 502 for a malformed upstream response", async () => {
    const up = await rawUpstream((socket) => {
      socket.once("data", () => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
    });
    const { url, logger } = await startProxy(to(new HttpPeer(up.endpoint)));
    expect((await fetch(url)).status).toBe(502);
    const garbage = await rawUpstream((socket) => socket.once("data", () => socket.write("SMTP ready\r\n\r\n")));
    const other = await startProxy(to(new HttpPeer(garbage.endpoint)));
    expect((await fetch(other.url)).status).toBe(502);
    expect(logger.errors[0]).toContain("InvalidHTTPHeader");
  });

  it("answers 502 when the upstream's certificate is not trusted, and proxies to a trusted one", async () => {
    const pki = testPki();
    const upstream = createHttpsServer({ cert: pki.cert, key: pki.key }, (req, res) => res.end("secure hello"));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const port = (upstream.address() as AddressInfo).port;
    try {
      const untrusted = new HttpPeer(`127.0.0.1:${port}`, { tls: true, sni: "localhost" });
      const bad = await startProxy(to(untrusted));
      expect((await fetch(bad.url)).status).toBe(502);
      expect(bad.logger.errors[0]).toContain("InvalidCert");
      const trusted = new HttpPeer(`127.0.0.1:${port}`, { tls: true, sni: "localhost", ca: pki.caCert });
      const good = await startProxy(to(trusted));
      const res = await fetch(good.url);
      expect(await res.text()).toBe("secure hello");
    } finally {
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });

  it("keeps faults out of the error log when suppressErrorLog says so", async () => {
    const { url, logger } = await startProxy(to(new HttpPeer(`127.0.0.1:${await closedPort()}`), { suppressErrorLog: () => true }), { maxRetries: 0 });
    expect((await fetch(url)).status).toBe(502);
    expect(logger.errors).toHaveLength(0);
  });
});

describe("a response cut short", () => {
  it("never ends a chunked response whose upstream reset mid-body", async () => {
    const up = await rawUpstream((socket) => {
      socket.once("data", () => {
        socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        setTimeout(() => socket.resetAndDestroy(), 30);
      });
    });
    const { port, url, logger } = await startProxy(to(new HttpPeer(up.endpoint)));
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.untilClosed();
    expect(text).toContain("5\r\nhello\r\n");
    expect(text).not.toContain("0\r\n\r\n");
    await expect(fetch(url).then((r) => r.text())).rejects.toThrow();
    await delay(20);
    expect(logger.errors.some((l) => l.includes("ConnectionClosed"))).toBe(true);
  });

  it("closes a Content-Length response early when its upstream resets mid-body", async () => {
    const up = await httpUpstream((req, res) => {
      res.writeHead(200, { "Content-Length": "100" });
      res.write("only ten b");
      setTimeout(() => res.socket!.resetAndDestroy(), 30);
    });
    const { port, url } = await startProxy(to(new HttpPeer(up.endpoint)));
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.untilClosed();
    expect(text).toContain("Content-Length: 100");
    expect(text.endsWith("only ten b")).toBe(true);
    await expect(fetch(url).then((r) => r.text())).rejects.toThrow();
  });

  it("cuts the response when a body filter fails after the head went out", async () => {
    const up = await httpUpstream((req, res) => {
      res.write("first");
      setTimeout(() => res.end("second"), 30);
    });
    const { port } = await startProxy(
      to(new HttpPeer(up.endpoint), {
        responseBodyFilter(session, chunk) {
          if (chunk?.toString() === "second") throw new Error("filter failed");
        },
      }),
    );
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.untilClosed();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text).toContain("5\r\nfirst\r\n");
    expect(text).not.toContain("0\r\n\r\n");
  });
});

describe("a client that goes away", () => {
  it("destroys the upstream connection when it leaves mid-body", async () => {
    let stop = false;
    const up = await httpUpstream((req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 0x78);
      const pump = (): void => {
        if (stop) return;
        while (!stop && res.write(chunk));
        if (!stop) res.once("drain", pump);
      };
      res.socket!.once("close", () => (stop = true));
      pump();
    });
    const errors: string[] = [];
    const { port } = await startProxy(to(new HttpPeer(up.endpoint), { logging: (s, e) => void (e && errors.push(e.code)) }));
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await client.until((t) => t.length > 200_000);
    expect(up.sockets.size).toBe(1);
    client.destroy();
    for (let i = 0; i < 100 && up.sockets.size > 0; i++) await delay(10);
    expect(up.sockets.size).toBe(0);
    expect(errors).toHaveLength(1);
  });

  it("gives the upstream connection back when the response was read whole", async () => {
    const up = await httpUpstream((req, res) => res.end(Buffer.alloc(100_000, 0x79)));
    const { port, url } = await startProxy(to(new HttpPeer(up.endpoint)));
    const client = await RawClient.connect(port);
    client.socket.pause(); // never reads
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await delay(100);
    client.destroy();
    await delay(20);
    expect(await (await fetch(url)).text()).toHaveLength(100_000);
    expect(up.connections).toBe(1);
  });

  it("stops waiting for the upstream when the client leaves before the response", async () => {
    const up = await httpUpstream(() => {
      // slow: never answers
    });
    let logged: Session | undefined;
    const { port } = await startProxy(to(new HttpPeer(up.endpoint), { logging: (s) => void (logged = s) }));
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    for (let i = 0; i < 100 && up.sockets.size === 0; i++) await delay(10);
    client.socket.resetAndDestroy();
    for (let i = 0; i < 100 && up.sockets.size > 0; i++) await delay(10);
    expect(up.sockets.size).toBe(0);
    for (let i = 0; i < 100 && logged === undefined; i++) await delay(10);
    expect(logged?.downstreamError).toBeDefined();
  });
});

describe("isolation", () => {
  it("keeps one failing connection from affecting others", async () => {
    const up = await httpUpstream((req, res) => {
      if (req.url === "/die") res.socket!.destroy();
      else setTimeout(() => res.end(`ok ${req.url}`), 20);
    });
    const { url } = await startProxy(to(new HttpPeer(up.endpoint)), { maxRetries: 0 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fetch(`${url}/${i % 4 === 0 ? "die" : i}`).then((r) => r.status)),
    );
    expect(results.filter((s) => s === 502)).toHaveLength(5);
    expect(results.filter((s) => s === 200)).toHaveLength(15);
  });
});
