import { afterEach, describe, expect, it } from "vitest";
import { ErrorType, ZpError } from "@zp/error";
import { ResponseHeader } from "@zp/http";
import { type BodyFilterResult, HttpPeer, type ProxyHttp, type Session } from "../src/index.js";
import { closeProxies, startProxy } from "./helpers/proxy.js";
import { closeUpstreams, closedPort, httpUpstream } from "./helpers/upstreams.js";

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

/** A ProxyHttp that records every hook call; `async` makes every hook return a promise. */
function recorder(peer: () => HttpPeer, async: boolean, overrides: Partial<ProxyHttp<string[]>> = {}): { app: ProxyHttp<string[]>; calls: string[][] } {
  const calls: string[][] = [];
  const wrap = <T>(value: T): T | Promise<T> => (async ? Promise.resolve(value) : value);
  const app: ProxyHttp<string[]> = {
    newCtx() {
      const log: string[] = ["newCtx"];
      calls.push(log);
      return log;
    },
    earlyRequestFilter: (s, ctx) => wrap(void ctx.push("earlyRequestFilter")),
    requestFilter: (s, ctx) => wrap((ctx.push("requestFilter"), false)),
    proxyUpstreamFilter: (s, ctx) => wrap((ctx.push("proxyUpstreamFilter"), true)),
    upstreamPeer: (s, ctx) => wrap((ctx.push("upstreamPeer"), peer())),
    connectedToUpstream: (s, reused, p, ctx) => wrap(void ctx.push("connectedToUpstream")),
    failToConnect: (s, p, ctx, e) => wrap((ctx.push("failToConnect"), e)),
    upstreamRequestFilter: (s, req, ctx) => wrap(void ctx.push("upstreamRequestFilter")),
    requestBodyFilter: (s, chunk, eos, ctx) => wrap(void ctx.push(`requestBodyFilter${eos ? "(end)" : ""}`)),
    upstreamResponseFilter: (s, res, ctx) => wrap(void ctx.push("upstreamResponseFilter")),
    responseFilter: (s, res, ctx) => wrap(void ctx.push("responseFilter")),
    upstreamResponseBodyFilter: (s, chunk, eos, ctx) => wrap(void ctx.push(`upstreamResponseBodyFilter${eos ? "(end)" : ""}`)),
    responseBodyFilter: (s, chunk, eos, ctx) => wrap(void ctx.push(`responseBodyFilter${eos ? "(end)" : ""}`)),
    upstreamResponseTrailerFilter: (s, t, ctx) => wrap(void ctx.push("upstreamResponseTrailerFilter")),
    responseTrailerFilter: (s, t, ctx) => wrap(void ctx.push("responseTrailerFilter")),
    errorWhileProxy: (p, s, e, ctx) => wrap((ctx.push("errorWhileProxy"), e)),
    failToProxy: (s, e, ctx) => {
      ctx.push("failToProxy");
      s.respondError(502);
      return wrap(502);
    },
    logging: (s, e, ctx) => wrap(void ctx.push(`logging(${e === undefined ? "ok" : e.code})`)),
    requestSummary: (s, ctx) => (ctx.push("requestSummary"), s.requestSummary()),
    suppressErrorLog: (s, ctx) => (ctx.push("suppressErrorLog"), false),
    ...overrides,
  };
  return { app, calls };
}

/** Waits until `logging` ran for `n` requests. */
async function loggedCalls(calls: string[][], n: number): Promise<string[][]> {
  for (let i = 0; i < 200 && calls.filter((c) => c.some((x) => x.startsWith("logging"))).length < n; i++) await new Promise((r) => setTimeout(r, 10));
  return calls;
}

describe.each([false, true])("phase order (hooks return promises: %s)", (async) => {
  it("runs a normal request in Pingora's order", async () => {
    const up = await httpUpstream((req, res) => res.end("hello"));
    const peer = new HttpPeer(up.endpoint);
    const { app, calls } = recorder(() => peer, async);
    const { url } = await startProxy(app);
    const res = await fetch(`${url}/`);
    expect(await res.text()).toBe("hello");
    await loggedCalls(calls, 1);
    expect(calls[0]).toEqual([
      "newCtx",
      "earlyRequestFilter",
      "requestFilter",
      "proxyUpstreamFilter",
      "upstreamPeer",
      "connectedToUpstream",
      "upstreamRequestFilter",
      "requestBodyFilter(end)",
      "upstreamResponseFilter",
      "responseFilter",
      "upstreamResponseBodyFilter",
      "responseBodyFilter",
      "upstreamResponseBodyFilter(end)",
      "responseBodyFilter(end)",
      "logging(ok)",
    ]);
  });

  it("stops after requestFilter when it answered", async () => {
    const { app, calls } = recorder(() => new HttpPeer("127.0.0.1:1"), async, {
      requestFilter(session, ctx) {
        ctx.push("requestFilter");
        session.writeResponseHeader(ResponseHeader.build(403).insertHeader("Content-Length", "6"));
        session.writeResponseBody("denied", true);
        return async ? Promise.resolve(true) : true;
      },
    });
    const { url } = await startProxy(app);
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("denied");
    await loggedCalls(calls, 1);
    expect(calls[0]).toEqual(["newCtx", "earlyRequestFilter", "requestFilter", "logging(ok)"]);
  });

  it("fails a request to a refused upstream through failToConnect, failToProxy and logging", async () => {
    const peer = new HttpPeer(`127.0.0.1:${await closedPort()}`);
    const { app, calls } = recorder(() => peer, async);
    const { url, logger } = await startProxy(app, { maxRetries: 1 });
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(502);
    await loggedCalls(calls, 1);
    expect(calls[0]).toEqual([
      "newCtx",
      "earlyRequestFilter",
      "requestFilter",
      "proxyUpstreamFilter",
      "upstreamPeer",
      "failToConnect",
      "requestSummary", // the retry's warning
      "upstreamPeer",
      "failToConnect",
      "failToProxy",
      "suppressErrorLog",
      "requestSummary",
      "logging(ZP_CONNECT_REFUSED)",
    ]);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toMatch(/^Fail to proxy: Upstream ConnectRefused .*status: 502, tries: 2, retry: false, GET \/, Host: 127\.0\.0\.1:\d+$/);
  });

  it("calls the trailer filters and errorWhileProxy where they belong", async () => {
    const up = await httpUpstream((req, res) => {
      if (req.url === "/reset") {
        res.writeHead(200, { "Content-Length": "100" });
        res.write("partial");
        setTimeout(() => res.socket!.destroy(), 20);
        return;
      }
      res.writeHead(200, { Trailer: "X-Sum" });
      res.write("data");
      res.addTrailers({ "X-Sum": "42" });
      res.end();
    });
    const peer = new HttpPeer(up.endpoint);
    const { app, calls } = recorder(() => peer, async);
    const { url } = await startProxy(app);
    await (await fetch(`${url}/trailers`)).text();
    await expect(fetch(`${url}/reset`).then((r) => r.text())).rejects.toThrow();
    await loggedCalls(calls, 2);
    expect(calls[0]!.slice(-4)).toEqual(["responseBodyFilter(end)", "upstreamResponseTrailerFilter", "responseTrailerFilter", "logging(ok)"]);
    expect(calls[1]!.slice(-5)).toEqual(["errorWhileProxy", "failToProxy", "suppressErrorLog", "requestSummary", "logging(ZP_CONNECTION_CLOSED)"]);
  });
});

describe("hooks", () => {
  it("answers 502 when proxyUpstreamFilter declines without answering, and keeps its own answer", async () => {
    const up = await httpUpstream((req, res) => res.end("never"));
    const peer = new HttpPeer(up.endpoint);
    const app: ProxyHttp = {
      upstreamPeer: () => peer,
      proxyUpstreamFilter(session) {
        if (session.uri === "/own") session.respondError(429);
        return false;
      },
    };
    const { url } = await startProxy(app);
    expect((await fetch(`${url}/`)).status).toBe(502);
    expect((await fetch(`${url}/own`)).status).toBe(429);
    expect(up.requests).toBe(0);
  });

  it("answers 500 when requestFilter says it answered but did not", async () => {
    const { url, logger } = await startProxy({ upstreamPeer: () => new HttpPeer("127.0.0.1:1"), requestFilter: () => true });
    expect((await fetch(url)).status).toBe(500);
    expect(logger.errors[0]).toMatch(/^Fail to filter request: Internal HookMisuse/);
  });

  it("turns a throwing hook into a 500 and keeps serving", async () => {
    const up = await httpUpstream((req, res) => res.end("fine"));
    const peer = new HttpPeer(up.endpoint);
    const { url, logger } = await startProxy({
      upstreamPeer: () => peer,
      requestFilter(session) {
        if (session.uri === "/throw") throw new Error("boom");
        if (session.uri === "/reject") return Promise.reject(new Error("async boom"));
        if (session.uri === "/teapot") throw new ZpError(ErrorType.HTTPStatus(418));
        return false;
      },
      responseBodyFilter(session, chunk) {
        if (session.uri === "/body-throw" && chunk !== null) throw new Error("body boom");
      },
    });
    expect((await fetch(`${url}/throw`)).status).toBe(500);
    expect((await fetch(`${url}/reject`)).status).toBe(500);
    expect((await fetch(`${url}/teapot`)).status).toBe(418);
    // a body filter that throws before the head went out: still a clean 500
    expect((await fetch(`${url}/body-throw`)).status).toBe(500);
    const ok = await fetch(`${url}/`);
    expect(await ok.text()).toBe("fine");
    expect(logger.errors.filter((l) => l.includes("boom"))).toHaveLength(3);
  });

  it("applies body filters that keep, replace and drop chunks, sync or async", async () => {
    const up = await httpUpstream((req, res) => {
      let body = "";
      req.setEncoding("latin1");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => {
        res.write(`got:${body};`);
        setTimeout(() => res.end("tail"), 10);
      });
    });
    const peer = new HttpPeer(up.endpoint);
    const upper = (chunk: Buffer | null): BodyFilterResult => (chunk === null ? undefined : Buffer.from(chunk.toString("latin1").toUpperCase()));
    const { url } = await startProxy({
      upstreamPeer: () => peer,
      upstreamRequestFilter(session, req) {
        req.removeHeader("content-length"); // the filter changes the length
      },
      requestBodyFilter: async (session, chunk, eos) => (eos ? Buffer.from("+end") : upper(chunk)),
      responseFilter(session, res) {
        res.removeHeader("content-length");
      },
      upstreamResponseBodyFilter: (session, chunk) => (chunk !== null && chunk.toString() === "tail" ? null : undefined),
      responseBodyFilter: (session, chunk, eos) => (eos ? Buffer.from("!") : upper(chunk)),
    });
    const res = await fetch(`${url}/`, { method: "POST", body: "abc" });
    expect(await res.text()).toBe("GOT:ABC+END;!");
  });

  it("gives hooks the whole request body with readRequestBody and forwards what was read", async () => {
    const up = await httpUpstream((req, res) => {
      let body = "";
      req.setEncoding("latin1");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => res.end(`upstream got ${body}`));
    });
    const peer = new HttpPeer(up.endpoint);
    const seen: (string | null)[] = [];
    const { url } = await startProxy({
      upstreamPeer: () => peer,
      async requestFilter(session: Session) {
        const body = await session.readRequestBody();
        seen.push(body === null ? null : body.toString());
        if (body?.toString() === "forbidden") {
          session.respondError(403);
          return true;
        }
        return false;
      },
    });
    expect(await (await fetch(`${url}/`, { method: "PUT", body: "x".repeat(100_000) })).text()).toBe(`upstream got ${"x".repeat(100_000)}`);
    expect((await fetch(`${url}/`, { method: "POST", body: "forbidden" })).status).toBe(403);
    expect(await (await fetch(`${url}/`)).text()).toBe("upstream got ");
    expect(seen).toEqual(["x".repeat(100_000), "forbidden", null]);
  });

  it("exposes timing, addresses, the peer and keep-alive control on the session", async () => {
    const up = await httpUpstream((req, res) => setTimeout(() => res.end("ok"), 30));
    const peer = new HttpPeer(up.endpoint);
    let last: Session | undefined;
    const { url } = await startProxy({
      upstreamPeer: () => peer,
      requestFilter(session) {
        if (session.uri === "/close") session.setKeepalive(null);
        return false;
      },
      logging(session) {
        last = session;
      },
    });
    const res = await fetch(`${url}/close`);
    await res.text();
    expect(res.headers.get("connection")).toBe("close");
    for (let i = 0; i < 100 && last === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    const s = last!;
    expect(s.clientAddress).toMatch(/127\.0\.0\.1/);
    expect(s.clientPort).toBeGreaterThan(0);
    expect(s.peer).toBe(peer);
    expect(s.responseWritten?.status).toBe(200);
    expect(s.responseBodyBytes).toBe(2);
    expect(s.timing.upstreamConnectMs).toBeGreaterThanOrEqual(0);
    expect(s.timing.upstreamFirstByteMs).toBeGreaterThanOrEqual(25);
    expect(s.timing.totalMs).toBeGreaterThanOrEqual(s.timing.upstreamFirstByteMs);
    expect(s.keepalive).toBe(false);
  });
});
