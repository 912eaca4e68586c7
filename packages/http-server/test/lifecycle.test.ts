import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { HttpServer } from "@zp/http-server";
import type { ZpError } from "@zp/error";
import { curl, delay, exchange, RawClient } from "@zp-test/support";
import { closeAll, start } from "./helpers/server.js";

afterEach(closeAll);

describe("connection management", () => {
  it("closes after maxRequestsPerConnection, announcing it on the last response", async () => {
    const ports = new Set<number | undefined>();
    const { port, url } = await start({ maxRequestsPerConnection: 3 }, (req, res) => {
      ports.add(req.remotePort);
      res.end(req.url);
    });
    const client = await RawClient.connect(port);
    client.write("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\nGET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.untilClosed();
    const heads = text.split("HTTP/1.1 200 OK").slice(1);
    expect(heads).toHaveLength(3);
    expect(heads[1]).not.toContain("Connection: close");
    expect(heads[2]).toContain("Connection: close\r\n");
    expect(text.endsWith("/3")).toBe(true);

    ports.clear();
    const r = await curl([`${url}/a`, `${url}/b`, `${url}/c`, `${url}/d`, `${url}/e`]);
    expect(r.stdout).toBe("/a/b/c/d/e");
    expect(ports.size).toBe(2);
  });

  it("answers 500 when the handler throws, and when it rejects", async () => {
    const seen: { code: string; url: string | undefined }[] = [];
    const { port } = await start({ onError: (err, req) => seen.push({ code: err.code, url: req?.url }) }, async (req) => {
      if (req.url === "/sync") throw new Error("sync failure");
      await delay(1);
      throw new Error("async failure");
    });
    expect(await exchange(port, "GET /sync HTTP/1.1\r\nHost: x\r\n\r\n")).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(await exchange(port, "GET /async HTTP/1.1\r\nHost: x\r\n\r\n")).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(seen).toEqual([
      { code: "ZP_INTERNAL_ERROR", url: "/sync" },
      { code: "ZP_INTERNAL_ERROR", url: "/async" },
    ]);
  });

  it("destroys the connection when the handler fails after the head was sent", async () => {
    const { port } = await start({}, async (req, res) => {
      res.writeHead(200, { "Content-Length": 100 });
      res.write("partial");
      await delay(5);
      throw new Error("mid-body failure");
    });
    const text = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\npartial$/);
  });

  it("answers 500 when a body callback throws inside the parser", async () => {
    const { port } = await start({}, (req) => {
      req.setBodySink({
        onData() {
          throw new Error("sink failure");
        },
        onEnd() {},
        onError() {},
      });
    });
    const text = await exchange(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    expect(text).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
  });

  it("sends 103 Early Hints before the final response", async () => {
    const { port } = await start({}, (req, res) => {
      res.writeInformational(103, { Link: "</style.css>; rel=preload; as=style" });
      res.end("final");
    });
    const text = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(text.startsWith("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\nHTTP/1.1 200 OK\r\n")).toBe(true);
  });
});

describe("upgrade hand-off", () => {
  it("hands the socket and the bytes after the head to onUpgrade, which echoes them", async () => {
    let handlerCalls = 0;
    let headSeen = "";
    const { port, server } = await start(
      {
        onUpgrade(req, socket, head) {
          headSeen = head.toString();
          socket.on("error", () => {});
          socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${req.headers.get("upgrade")}\r\n\r\n`);
          socket.write(head);
          socket.on("data", (d: Buffer) => socket.write(d));
        },
      },
      (req, res) => {
        handlerCalls++;
        res.end();
      },
    );
    const client = await RawClient.connect(port);
    client.write("GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nfirst-bytes|");
    await client.until((t) => t.endsWith("first-bytes|"));
    client.write("more|");
    await client.until((t) => t.endsWith("first-bytes|more|"));
    expect(client.text.startsWith("HTTP/1.1 101 Switching Protocols\r\n")).toBe(true);
    expect(headSeen).toBe("first-bytes|");
    expect(handlerCalls).toBe(0);
    expect(server.connectionCount).toBe(0);
    await server.close(); // the detached socket is not the server's any more
    client.write("still|");
    await client.until((t) => t.endsWith("more|still|"));
    client.destroy();
  });

  it("hands CONNECT to onUpgrade as well", async () => {
    const { port } = await start(
      {
        onUpgrade(req, socket, head) {
          socket.on("error", () => {});
          socket.write(`HTTP/1.1 200 Connection Established\r\n\r\ntunnel to ${req.target.host}:${req.target.port} got ${head.toString()}`);
          socket.end();
        },
      },
      (req, res) => res.end(),
    );
    const text = await exchange(port, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nTLS-HELLO");
    expect(text).toBe("HTTP/1.1 200 Connection Established\r\n\r\ntunnel to example.com:443 got TLS-HELLO");
  });

  it("without onUpgrade answers upgrade requests normally and closes after", async () => {
    const { port } = await start({}, (req, res) => res.end(`upgrade=${req.upgrade}`));
    const text = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
    expect(text).toContain("Connection: close\r\n");
    expect(text.endsWith("upgrade=true")).toBe(true);
  });
});

describe("graceful close", () => {
  it("finishes an in-flight slow response, closes idle connections at once and refuses new ones", async () => {
    const { port, server } = await start({}, async (req, res) => {
      if (req.url === "/slow") {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.write("slow ");
        await delay(300);
        res.end("and finished");
        return;
      }
      res.end("quick");
    });
    const idle = await RawClient.connect(port);
    idle.write("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n");
    await idle.until((t) => t.endsWith("quick"));

    const busy = await RawClient.connect(port);
    busy.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    await busy.until((t) => t.includes("slow "));

    const closing = server.close();
    let resolved = false;
    void closing.then(() => (resolved = true));
    await idle.untilClosed(1000); // idle keep-alive connection: closed at once
    await expect(RawClient.connect(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(resolved).toBe(false);

    const text = await busy.untilClosed();
    expect(text).toContain("slow ");
    expect(text.endsWith("0\r\n\r\n")).toBe(true);
    expect(text).toContain("and finished");
    await closing;
    expect(server.connectionCount).toBe(0);
  });

  it("announces Connection: close on responses started after close() and destroys stragglers at the deadline", async () => {
    let release: (() => void) | undefined;
    const { port, server } = await start({}, async (req, res) => {
      if (req.url === "/never") {
        res.write("stuck");
        return; // never ends
      }
      await new Promise<void>((r) => (release = r));
      res.end("after close");
    });
    const late = await RawClient.connect(port);
    late.write("GET /late HTTP/1.1\r\nHost: x\r\n\r\n");
    const stuck = await RawClient.connect(port);
    stuck.write("GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
    await stuck.until((t) => t.includes("stuck"));
    while (release === undefined) await delay(5);
    const closing = server.close(300);
    release();
    const text = await late.untilClosed();
    expect(text).toContain("Connection: close\r\n");
    expect(text.endsWith("after close")).toBe(true);
    await closing;
    await stuck.untilClosed(1000);
  });
});

describe("sockets accepted elsewhere", () => {
  let dir = "";
  let key = "";
  let cert = "";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "zp-http-server-tls-"));
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost",
    ], { stdio: "ignore" });
    key = readFileSync(join(dir, "key.pem"), "utf8");
    cert = readFileSync(join(dir, "cert.pem"), "utf8");
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves a socket handed over with bytes already read from it", async () => {
    const server = new HttpServer({}, (req, res) => res.end(`${req.method} ${req.url} via handleConnection`));
    // A listener that sniffs the first bytes (as a protocol detector would), then hands over.
    const listener: NetServer = createNetServer({ allowHalfOpen: true }, (socket: Socket) => {
      socket.once("data", (first: Buffer) => {
        socket.pause();
        server.handleConnection(socket, first);
        socket.resume();
      });
    });
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
    const port = (listener.address() as { port: number }).port;
    const text = await exchange(port, "GET /sniffed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(text.endsWith("GET /sniffed via handleConnection")).toBe(true);
    await server.close();
    listener.close();
  });

  it("serves TLS sockets from a tls.Server (curl over https)", async () => {
    const server = new HttpServer({}, (req, res) => {
      const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
      res.end(`secure=${tls} ${req.url}`);
    });
    const listener = createTlsServer({ key, cert }, (socket) => server.handleConnection(socket));
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
    const port = (listener.address() as { port: number }).port;
    const r = await curl(["-k", `https://127.0.0.1:${port}/a`, `https://127.0.0.1:${port}/b`]);
    expect(r.stdout).toBe("secure=true /asecure=true /b");
    await server.close();
    listener.close();
  });
});

describe("errors reported to onError", () => {
  it("reports socket resets without crashing", async () => {
    const errors: ZpError[] = [];
    const { port } = await start({ onError: (e) => errors.push(e) }, async (req, res) => {
      await delay(50);
      res.end("too late");
    });
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await delay(10);
    client.socket.resetAndDestroy();
    await delay(100);
    expect(errors.map((e) => e.code)).toContain("ZP_CONNECTION_CLOSED");
  });
});
