import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Server } from "@zp/runtime";
import { createTlsServerContext } from "@zp/tls";
import { Agent, fetch as undiciFetch } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { HttpPeer, LoadBalancedProxy, type ProxyHttp, createProxyServer, httpProxyService } from "../src/index.js";
import { curl, delay, exchange } from "@zp-test/support";
import { testPki } from "./helpers/pki.js";
import { MemoryLogger, closeProxies } from "./helpers/proxy.js";
import { closeUpstreams, closedPort, httpUpstream } from "./helpers/upstreams.js";

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

describe("ProxyServer", () => {
  it("drains requests in flight on close(): none fails, then it refuses connections", async () => {
    const up = await httpUpstream((req, res) => setTimeout(() => res.end(`done ${req.url}`), 300));
    const server = await createProxyServer(new LoadBalancedProxy({ upstreams: [up.endpoint] }), { port: 0, logger: new MemoryLogger() });
    const { port } = server.address()!;
    const agent = new Agent({ connections: 20 });
    try {
      const inFlight = Array.from({ length: 20 }, (_, i) =>
        undiciFetch(`http://127.0.0.1:${port}/${i}`, { dispatcher: agent }).then(async (r) => `${r.status} ${await r.text()}`),
      );
      for (let i = 0; i < 200 && up.requests < 20; i++) await delay(5);
      expect(up.requests).toBe(20);
      const closed = server.close(5000);
      const results = await Promise.all(inFlight);
      expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `200 done /${i}`));
      await closed;
      await expect(undiciFetch(`http://127.0.0.1:${port}/`, { dispatcher: agent })).rejects.toThrow();
    } finally {
      await agent.close();
    }
  });

  it("terminates TLS with a @zp/tls context", async () => {
    const pki = testPki();
    const up = await httpUpstream((req, res) => res.end(`hello ${req.headers["x-forwarded-proto"]}`));
    const tls = await createTlsServerContext({ certificates: [{ cert: pki.cert, key: pki.key }], alpn: ["http/1.1"] });
    const server = await createProxyServer(new LoadBalancedProxy({ upstreams: [up.endpoint] }), { tls });
    try {
      const { port } = server.address()!;
      const caFile = join(mkdtempSync(join(tmpdir(), "zp-proxy-ca-")), "ca.pem");
      await import("node:fs/promises").then((fs) => fs.writeFile(caFile, pki.caCert));
      const r = await curl(["--cacert", caFile, "--resolve", `localhost:${port}:127.0.0.1`, `https://localhost:${port}/`]);
      expect(r.stdout).toBe("hello https");
      rmSync(join(caFile, ".."), { recursive: true, force: true });
    } finally {
      await server.close(1000);
      tls.close();
    }
  });
});

describe("httpProxyService under @zp/runtime", () => {
  it("serves on the runtime's listeners, takes max_retries from the configuration and stops gracefully", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zp-proxy-runtime-"));
    try {
      const up = await httpUpstream((req, res) => setTimeout(() => res.end("via runtime"), 100));
      const refused = new HttpPeer(`127.0.0.1:${await closedPort()}`);
      const good = new HttpPeer(up.endpoint);
      let peersAsked = 0;
      const app: ProxyHttp = {
        upstreamPeer(session) {
          if (session.uri !== "/refused") return good;
          peersAsked++;
          return refused;
        },
      };
      const logger = new MemoryLogger();
      const service = httpProxyService(app, { listeners: [{ address: "127.0.0.1", port: 0 }], logger });
      const conf = { pid_file: join(dir, "zp.pid"), error_log: join(dir, "error.log"), max_retries: 3, grace_period_seconds: 5 };
      const server = new Server({ conf, exitProcess: false }).addService(service);
      const running = server.run();
      const ready = await server.ready;
      const port = (ready.addresses[0] as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(await res.text()).toBe("via runtime");
      expect((await fetch(`http://127.0.0.1:${port}/refused`)).status).toBe(502);
      expect(peersAsked).toBe(4); // 1 + max_retries
      expect(service.proxy?.maxRetries).toBe(3);
      const slow = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.text());
      await delay(30);
      await server.shutdown("graceful");
      expect(await slow).toBe("via runtime");
      await running;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("LoadBalancedProxy", () => {
  it("adds X-Forwarded-For, X-Forwarded-Proto, Forwarded and Via", async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const up = await httpUpstream((req, res) => {
      seen.push(req.headers);
      res.end("ok");
    });
    const proxy = new LoadBalancedProxy({ upstreams: [up.endpoint], forwarded: true, via: "zingora" });
    const server = await createProxyServer(proxy, { logger: new MemoryLogger() });
    try {
      const { port } = server.address()!;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { "X-Forwarded-For": "10.1.2.3", "X-Forwarded-Proto": "https" } });
      expect(res.headers.get("via")).toBe("1.1 zingora");
      expect(seen[0]!["x-forwarded-for"]).toBe("10.1.2.3, 127.0.0.1");
      expect(seen[0]!["x-forwarded-proto"]).toBe("http");
      expect(seen[0]!.forwarded).toBe(`for=127.0.0.1;proto=http;host="127.0.0.1:${port}"`);
      expect(seen[0]!.via).toBe("1.1 zingora");
    } finally {
      await server.close(1000);
    }
  });

  it("names each client in its own X-Forwarded-For, whichever client came before", async () => {
    const seen: (string | string[] | undefined)[] = [];
    const up = await httpUpstream((req, res) => {
      seen.push(req.headers["x-forwarded-for"]);
      res.end("ok");
    });
    const server = await createProxyServer(new LoadBalancedProxy({ upstreams: [up.endpoint] }), { logger: new MemoryLogger() });
    try {
      const { port } = server.address()!;
      for (const from of ["127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.1"]) {
        const socket = connect({ port, host: "127.0.0.1", localAddress: from });
        socket.end("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const chunks: Buffer[] = [];
        for await (const chunk of socket) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).toString("latin1")).toMatch(/^HTTP\/1\.1 200 /);
      }
      expect(seen).toEqual(["127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.1"]);
    } finally {
      await server.close(1000);
    }
  });

  it("keeps the client's Host by default, or sends the upstream's or a fixed one", async () => {
    const hosts: (string | undefined)[] = [];
    const up = await httpUpstream((req, res) => {
      hosts.push(req.headers.host);
      res.end("ok");
    });
    for (const host of ["keep", "upstream", { value: "api.internal" }] as const) {
      const server = await createProxyServer(new LoadBalancedProxy({ upstreams: [up.endpoint], host }), { logger: new MemoryLogger() });
      await exchange(server.address()!.port, "GET / HTTP/1.1\r\nHost: public.example\r\nConnection: close\r\n\r\n");
      await server.close(1000);
    }
    expect(hosts).toEqual(["public.example", up.endpoint, "api.internal"]);
  });

  it("spreads requests round robin, or by a key with ketama", async () => {
    const a = await httpUpstream((req, res) => res.end("a"));
    const b = await httpUpstream((req, res) => res.end("b"));
    const rr = await createProxyServer(new LoadBalancedProxy({ upstreams: [a.endpoint, b.endpoint] }), { logger: new MemoryLogger() });
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push(await (await fetch(`http://127.0.0.1:${rr.address()!.port}/`)).text());
    expect(got.sort()).toEqual(["a", "a", "b", "b"]);
    await rr.close(1000);
    const keyed = await createProxyServer(
      new LoadBalancedProxy({ upstreams: [a.endpoint, b.endpoint], balancer: { selection: "ketama" }, selectionKey: (s) => s.getHeader("x-user") }),
      { logger: new MemoryLogger() },
    );
    const byUser = new Map<string, Set<string>>();
    for (let i = 0; i < 24; i++) {
      const user = `user-${i % 6}`;
      const r = await fetch(`http://127.0.0.1:${keyed.address()!.port}/`, { headers: { "X-User": user } });
      if (!byUser.has(user)) byUser.set(user, new Set());
      byUser.get(user)!.add(await r.text());
    }
    for (const backends of byUser.values()) expect(backends.size).toBe(1);
    await keyed.close(1000);
  });

  it("feeds in-flight counts to least_conn", async () => {
    const handler = (name: string) => (req: { url?: string }, res: { end(b: string): void }) =>
      req.url === "/hold" ? setTimeout(() => res.end(name), 300) : res.end(name);
    const a = await httpUpstream(handler("a"));
    const b = await httpUpstream(handler("b"));
    const proxy = new LoadBalancedProxy({ upstreams: [a.endpoint, b.endpoint], balancer: { selection: "least_conn" } });
    const server = await createProxyServer(proxy, { logger: new MemoryLogger() });
    const url = `http://127.0.0.1:${server.address()!.port}`;
    try {
      // one request holds a backend busy: the next ones all go to the other
      const held = fetch(`${url}/hold`).then((r) => r.text());
      for (let i = 0; i < 100 && a.requests + b.requests === 0; i++) await delay(5);
      const busy = a.requests === 1 ? "a" : "b";
      const others: string[] = [];
      for (let i = 0; i < 3; i++) others.push(await (await fetch(`${url}/`)).text());
      expect(others).toEqual(Array(3).fill(busy === "a" ? "b" : "a"));
      expect(await held).toBe(busy);
      // once it is done, both are idle again and requests alternate
      const after = new Set<string>();
      for (let i = 0; i < 4; i++) after.add(await (await fetch(`${url}/`)).text());
      expect(after.size).toBe(2);
    } finally {
      await server.close(1000);
    }
  });
});
