import { afterEach, describe, expect, it } from "vitest";
import { RequestHeader, type ResponseHeader } from "@zp/http";
import { Connector, HttpClient } from "@zp/http-client";
import { httpServer, onRequestHeads, rawServer, type CountingHttpServer, type RawServer } from "./helpers/servers.js";

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

describe("responses without a body", () => {
  it("reads HEAD, 204 and 304 responses as empty and keeps the connection", async () => {
    const server = track(
      await httpServer((req, res) => {
        if (req.url === "/204") {
          res.writeHead(204).end();
        } else if (req.url === "/304") {
          res.writeHead(304, { ETag: '"v1"', "Content-Length": "1234" }).end();
        } else {
          res.writeHead(200, { "Content-Length": "11" });
          res.end(req.method === "HEAD" ? undefined : "hello world");
        }
      }),
    );
    client = new HttpClient();
    const head = await client.request(`${server.origin}/`, { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe("11");
    expect(await head.body.text()).toBe("");
    const noContent = await client.request(`${server.origin}/204`);
    expect(noContent.status).toBe(204);
    expect(await noContent.body.text()).toBe("");
    const notModified = await client.request(`${server.origin}/304`);
    expect(notModified.status).toBe(304);
    expect((await notModified.body.bytes()).length).toBe(0);
    const full = await client.request(`${server.origin}/`);
    expect(await full.body.text()).toBe("hello world");
    expect(server.connections()).toBe(1);
  });
});

describe("interim responses", () => {
  it("waits for 100 Continue before sending the body (low-level API)", async () => {
    let continued = 0;
    const server = track(await httpServer((_req, res) => res.end("unused")));
    server.server.on("checkContinue", (req, res) => {
      continued++;
      res.writeContinue();
      let size = 0;
      req.on("data", (c: Buffer) => (size += c.length));
      req.on("end", () => res.end(`got ${size}`));
    });
    connector = new Connector();
    const conn = await connector.connect({ address: "127.0.0.1", port: server.port });
    const interim: number[] = [];
    conn.interimReceiver = { onInterimHead: (head: ResponseHeader) => interim.push(head.status) };
    const head = RequestHeader.build("PUT", "/c").insertHeader("Host", "x").insertHeader("Expect", "100-continue");
    conn.writeRequestHeader(head, 5);
    expect(await conn.awaitContinue(2000)).toBe("continue");
    expect(interim).toEqual([100]);
    conn.writeBody("12345");
    conn.finishBody();
    const res = await conn.readResponseHeader();
    expect(res.status).toBe(200);
    expect((await collect(conn.body())).toString()).toBe("got 5");
    expect(continued).toBe(1);
    expect(conn.release()).toBe(true);
  });

  it("does not send the body when the upstream answers at once, and closes the connection", async () => {
    const server = track(await httpServer((_req, res) => res.end("unused")));
    server.server.on("checkContinue", (_req, res) => res.writeHead(417).end("no"));
    client = new HttpClient();
    const res = await client.request(`${server.origin}/`, { method: "PUT", body: "payload", headers: { expect: "100-continue" } });
    expect(res.status).toBe(417);
    expect(await res.body.text()).toBe("no");
    expect(client.connector.pool.size).toBe(0);
  });

  it("sends the body after the continue timeout when no 100 comes (HttpClient)", async () => {
    const raw = track(
      await rawServer((socket) => {
        let seen = "";
        socket.setEncoding("latin1");
        socket.on("data", (t: string) => {
          seen += t;
          if (seen.endsWith("\r\n\r\nabc")) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
        });
      }),
    );
    client = new HttpClient({ continueTimeoutMs: 50 });
    const res = await client.request(`${raw.origin}/`, { method: "POST", body: "abc", headers: { Expect: "100-continue" } });
    expect(await res.body.text()).toBe("done");
  });

  it("passes 103 Early Hints to the interim receiver and still reads the final response", async () => {
    const raw = track(
      await rawServer((socket) =>
        onRequestHeads(socket, () =>
          socket.write("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
        ),
      ),
    );
    connector = new Connector();
    const conn = await connector.connect({ address: "127.0.0.1", port: raw.port });
    const hints: string[] = [];
    conn.interimReceiver = { onInterimHead: (head) => void hints.push(`${head.status} ${head.headers.get("link")}`) };
    conn.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "x"));
    const res = await conn.readResponseHeader();
    expect(res.status).toBe(200);
    expect(hints).toEqual(["103 </a.css>; rel=preload"]);
    expect((await collect(conn.body())).toString()).toBe("ok");
    expect(conn.release()).toBe(true);
  });
});

describe("interim responses to HEAD", () => {
  it("reads the final response to HEAD as bodiless after a 103, and reuses the connection", async () => {
    const raw = track(
      await rawServer((socket) =>
        onRequestHeads(socket, (head) => {
          if (head.startsWith("HEAD")) socket.write("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
          else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        }),
      ),
    );
    client = new HttpClient();
    const head = await client.request(`${raw.origin}/`, { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe("5");
    expect(await head.body.text()).toBe("");
    const get = await client.request(`${raw.origin}/`);
    expect(get.reused).toBe(true);
    expect(await get.body.text()).toBe("hello");
  });
});

describe("upgrades", () => {
  it("hands back the socket and the bytes after a 101 response", async () => {
    const server = track(await httpServer((_req, res) => res.end()));
    server.server.on("upgrade", (_req, socket) => {
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nwelcome;");
      socket.on("data", (d: Buffer) => socket.write(d));
    });
    connector = new Connector();
    const conn = await connector.connect({ address: "127.0.0.1", port: server.port });
    conn.writeRequestHeader(RequestHeader.build("GET", "/ws").insertHeader("Host", "x").insertHeader("Connection", "Upgrade").insertHeader("Upgrade", "echo"));
    const res = await conn.readResponseHeader();
    expect(res.status).toBe(101);
    const { socket, head } = conn.takeUpgraded();
    let text = head.toString();
    socket.on("data", (d: Buffer) => (text += d.toString()));
    socket.resume();
    socket.write("ping");
    await waitFor(() => text.endsWith("ping"));
    expect(text).toBe("welcome;ping");
    expect(conn.closed).toBe(true);
    expect(conn.release()).toBe(false);
    socket.destroy();
  });
});

describe("CONNECT", () => {
  it("hands over the tunnel after a 2xx answer to CONNECT", async () => {
    const raw = track(
      await rawServer((socket) =>
        onRequestHeads(socket, (head) => {
          expect(head.startsWith("CONNECT upstream.test:443 HTTP/1.1")).toBe(true);
          socket.write("HTTP/1.1 200 Connection Established\r\n\r\ntunnel-bytes");
        }),
      ),
    );
    connector = new Connector();
    const conn = await connector.connect({ address: "127.0.0.1", port: raw.port });
    conn.writeRequestHeader(RequestHeader.build("CONNECT", "upstream.test:443").insertHeader("Host", "upstream.test:443"));
    expect((await conn.readResponseHeader()).status).toBe(200);
    const { socket, head } = conn.takeUpgraded();
    expect(head.toString()).toBe("tunnel-bytes");
    socket.destroy();
  });
});

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
}
