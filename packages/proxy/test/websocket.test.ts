import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import type { ZpError } from "@zp/error";
import { HttpPeer, type LoadBalancedCtx, LoadBalancedProxy, type ProxyHttp, type Session } from "../src/index.js";
import { closeProxies, startProxy } from "./helpers/proxy.js";
import { delay, exchange } from "@zp-test/support";
import { closeUpstreams, closedPort, httpUpstream } from "./helpers/upstreams.js";

const refusedPort = await closedPort();

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

/** A ws server on its own node:http server; echoes with a prefix and greets first. */
async function wsUpstream(): Promise<{ port: number; wss: WebSocketServer; headers: Record<string, unknown>[]; close(): Promise<void> }> {
  const server = createServer((req, res) => res.end("plain http"));
  const wss = new WebSocketServer({ server });
  const headers: Record<string, unknown>[] = [];
  wss.on("connection", (ws, req) => {
    headers.push(req.headers);
    ws.send("welcome");
    ws.on("message", (data, binary) => ws.send(binary ? data : `echo:${data.toString()}`, { binary }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    wss,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function nextMessage(ws: WebSocket): Promise<{ data: Buffer; binary: boolean }> {
  return new Promise((resolve, reject) => {
    ws.once("message", (data, binary) => resolve({ data: data as Buffer, binary }));
    ws.once("error", reject);
  });
}

describe("WebSocket through the proxy", () => {
  it("tunnels messages both ways between ws clients and a ws server", async () => {
    const up = await wsUpstream();
    let logged: Session | undefined;
    class Recording extends LoadBalancedProxy {
      override logging(session: Session, error: ZpError | undefined, ctx: LoadBalancedCtx): void {
        logged = session;
        super.logging(session, error, ctx);
      }
    }
    const { port } = await startProxy(new Recording({ upstreams: [`127.0.0.1:${up.port}`] }));
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`);
      const welcome = nextMessage(ws);
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      expect((await welcome).data.toString()).toBe("welcome");
      for (let i = 0; i < 5; i++) {
        const reply = nextMessage(ws);
        ws.send(`hello ${i}`);
        expect((await reply).data.toString()).toBe(`echo:hello ${i}`);
      }
      const big = Buffer.alloc(1024 * 1024, 7);
      const reply = nextMessage(ws);
      ws.send(big);
      const got = await reply;
      expect(got.binary).toBe(true);
      expect(Buffer.compare(got.data, big)).toBe(0);
      expect(up.headers[0]!["x-forwarded-for"]).toBe("127.0.0.1");
      expect(logged).toBeUndefined(); // logging waits for the tunnel to close
      ws.close();
      await new Promise((resolve) => ws.once("close", resolve));
      for (let i = 0; i < 100 && logged === undefined; i++) await delay(10);
      expect(logged?.responseWritten?.status).toBe(101);
      expect(logged?.isUpgradeRequest).toBe(true);
    } finally {
      await up.close();
    }
  });

  it("closes the client side when the server goes away", async () => {
    const up = await wsUpstream();
    const { port, server } = await startProxy(new LoadBalancedProxy({ upstreams: [`127.0.0.1:${up.port}`] }));
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    await nextMessage(ws);
    expect(server.proxy.tunnelCount).toBe(1);
    const closed = new Promise((resolve) => ws.once("close", resolve));
    for (const c of up.wss.clients) c.terminate();
    await closed;
    for (let i = 0; i < 100 && server.proxy.tunnelCount > 0; i++) await delay(10);
    expect(server.proxy.tunnelCount).toBe(0);
    await up.close();
  });

  it("forwards a refused upgrade as a normal response", async () => {
    const up = await httpUpstream((req, res) => {
      res.writeHead(426, { "Content-Type": "text/plain", "Content-Length": "7" });
      res.end("refused");
    });
    const peer = new HttpPeer(up.endpoint);
    const app: ProxyHttp = { upstreamPeer: () => peer };
    const { port } = await startProxy(app);
    const text = await exchange(port, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    expect(text).toContain("Connection: close");
    expect(text.endsWith("\r\n\r\nrefused")).toBe(true);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    const err = await new Promise<Error>((resolve) => ws.once("error", resolve));
    expect(err.message).toContain("426");
  });

  it("answers 502 to an upgrade request whose upstream refuses the connection", async () => {
    const { port } = await startProxy({ upstreamPeer: () => new HttpPeer(`127.0.0.1:${refusedPort}`) }, { maxRetries: 0 });
    const text = await exchange(port, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
    expect(text).toContain("Connection: close");
    expect(text).toContain("<h1>502 Bad Gateway</h1>");
  });

  it("refuses CONNECT with 405 after the request phases, which see it", async () => {
    const methods: string[] = [];
    const { port } = await startProxy({
      upstreamPeer: () => new HttpPeer("127.0.0.1:1"),
      requestFilter: (session) => (methods.push(session.method), false),
      logging: (session, error) => void methods.push(`logged ${error?.type.status}`),
    });
    const text = await exchange(port, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(methods).toEqual(["CONNECT", "logged 405"]);
  });
});
