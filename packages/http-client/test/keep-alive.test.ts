import { afterEach, describe, expect, it } from "vitest";
import { HttpClient } from "@zp/http-client";
import { delay, httpServer, onRequestHeads, rawServer, type CountingHttpServer, type RawServer } from "./helpers/servers.js";

let client: HttpClient;
let closers: (() => Promise<void>)[] = [];

function track<T extends CountingHttpServer | RawServer>(server: T): T {
  closers.push(server.close);
  return server;
}

afterEach(async () => {
  client?.close();
  for (const close of closers) await close();
  closers = [];
});

describe("keep-alive reuse", () => {
  it("carries N sequential requests on one connection", async () => {
    const server = track(await httpServer((req, res) => res.end(`hello ${req.url}`)));
    client = new HttpClient();
    for (let i = 0; i < 20; i++) {
      const res = await client.request(`${server.origin}/n/${i}`);
      expect(res.status).toBe(200);
      expect(res.reused).toBe(i > 0);
      expect(await res.body.text()).toBe(`hello /n/${i}`);
    }
    expect(server.connections()).toBe(1);
    expect(client.connector.stats().hits).toBe(19);
  });

  it("opens one connection per concurrent request and reuses them afterwards", async () => {
    const server = track(await httpServer((_req, res) => setTimeout(() => res.end("ok"), 5)));
    client = new HttpClient();
    const round = async (): Promise<void> => {
      const all = await Promise.all(Array.from({ length: 8 }, () => client.request({ origin: server.origin, path: "/" })));
      for (const res of all) expect(await res.body.text()).toBe("ok");
    };
    await round();
    await round();
    expect(server.connections()).toBe(8);
  });

  it("does not reuse a connection the server marks Connection: close", async () => {
    const server = track(
      await httpServer((_req, res) => {
        res.setHeader("Connection", "close");
        res.end("bye");
      }),
    );
    client = new HttpClient();
    for (let i = 0; i < 3; i++) {
      const res = await client.request(server.origin + "/");
      expect(res.reused).toBe(false);
      expect(await res.body.text()).toBe("bye");
    }
    expect(server.connections()).toBe(3);
    expect(client.connector.pool.size).toBe(0);
  });

  it("does not reuse a connection when the request says Connection: close", async () => {
    const server = track(await httpServer((_req, res) => res.end("x")));
    client = new HttpClient();
    for (let i = 0; i < 2; i++) {
      const res = await client.request(server.origin + "/", { headers: { connection: "close" } });
      await res.body.dump();
    }
    expect(server.connections()).toBe(2);
  });

  it("honours Keep-Alive: timeout=1: reused at once, not after more than a second", async () => {
    const raw = track(
      await rawServer((socket) =>
        onRequestHeads(socket, () => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=1\r\n\r\nok")),
      ),
    );
    client = new HttpClient();
    const a = await client.request(raw.origin + "/a");
    await a.body.text();
    const b = await client.request(raw.origin + "/b");
    expect(b.reused).toBe(true);
    await b.body.text();
    await delay(1100);
    // The pool let it go before the server's timeout could race a request.
    expect(client.connector.pool.size).toBe(0);
    const c = await client.request(raw.origin + "/c");
    expect(c.reused).toBe(false);
    await c.body.text();
    expect(raw.connections()).toBe(2);
  });

  it("reuses a keep-alive HTTP/1.0 response's connection, and not a plain HTTP/1.0 one", async () => {
    const raw = track(
      await rawServer((socket, n) =>
        onRequestHeads(socket, () => {
          if (n === 0) socket.write("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nka");
          else socket.end("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nno");
        }),
      ),
    );
    client = new HttpClient();
    expect(await (await client.request(raw.origin + "/")).body.text()).toBe("ka");
    const second = await client.request(raw.origin + "/");
    expect(second.reused).toBe(true);
    expect(await second.body.text()).toBe("ka");
    expect(raw.connections()).toBe(1);
  });

  it("drops an idle pooled connection the server closes; the next request opens a fresh one", async () => {
    // Answers, then closes the connection after 100 ms of idleness (no Keep-Alive hint).
    const raw = track(
      await rawServer((socket) =>
        onRequestHeads(socket, () => {
          socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
          setTimeout(() => socket.end(), 100);
        }),
      ),
    );
    client = new HttpClient();
    await (await client.request(raw.origin + "/")).body.text();
    expect(client.connector.pool.size).toBe(1);
    await delay(300);
    expect(client.connector.pool.size).toBe(0);
    expect(client.connector.stats().evicted["peer-closed"]).toBe(1);
    const res = await client.request(raw.origin + "/");
    expect(res.reused).toBe(false);
    expect(res.retried).toBe(false);
    expect(await res.body.text()).toBe("ok");
    expect(raw.connections()).toBe(2);
  });

  it("does not pool a connection the server keeps for less than a second (Keep-Alive: timeout=0)", async () => {
    const server = track(await httpServer((_req, res) => res.end("ok")));
    server.server.keepAliveTimeout = 100; // node:http then announces timeout=0
    client = new HttpClient();
    const res = await client.request(server.origin + "/");
    expect(res.headers.get("keep-alive")).toBe("timeout=0");
    await res.body.text();
    expect(client.connector.pool.size).toBe(0);
  });

  it("drops an idle connection that receives unexpected bytes", async () => {
    const raw = track(
      await rawServer((socket) =>
        onRequestHeads(socket, () => {
          socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
          setTimeout(() => socket.write("garbage"), 50);
        }),
      ),
    );
    client = new HttpClient();
    await (await client.request(raw.origin + "/")).body.text();
    await delay(200);
    expect(client.connector.stats().evicted["unexpected-data"]).toBe(1);
    await (await client.request(raw.origin + "/")).body.text();
    expect(raw.connections()).toBe(2);
  });

  it("never reuses a connection whose response is followed by stray bytes", async () => {
    const raw = track(
      await rawServer((socket) =>
        onRequestHeads(socket, () => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n")),
      ),
    );
    client = new HttpClient();
    expect(await (await client.request(raw.origin + "/")).body.text()).toBe("ok");
    expect(client.connector.pool.size).toBe(0);
    expect(await (await client.request(raw.origin + "/")).body.text()).toBe("ok");
    expect(raw.connections()).toBe(2);
  });
});
