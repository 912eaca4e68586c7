import { once } from "node:events";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ErrorType, ZpError } from "@zp/error";
import { RequestHeader } from "@zp/http";
import { Connector, HttpClient, type Peer } from "@zp/http-client";
import { defaultSessionCache } from "@zp/tls";
import { makePki, type TestPki } from "./helpers/certs.js";

let pki: TestPki;
let server: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  pki = makePki(["localhost", "api.test"]);
  server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    res.end(`secure ${req.url} ${(req.socket as TLSSocket).servername || "-"}`);
  });
  server.on("secureConnection", () => connections++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  pki.cleanup();
});

let client: HttpClient | undefined;
let connector: Connector | undefined;
afterEach(() => {
  client?.close();
  connector?.close();
  client = connector = undefined;
});

async function get(conn: Awaited<ReturnType<Connector["connect"]>>, path: string): Promise<string> {
  conn.writeRequestHeader(RequestHeader.build("GET", path).insertHeader("Host", "localhost"));
  await conn.readResponseHeader();
  let text = "";
  for await (const c of conn.body()) text += c.toString();
  return text;
}

describe("HTTPS upstreams", () => {
  it("verifies the certificate by default: a self-signed CA not trusted is InvalidCert", async () => {
    client = new HttpClient();
    const err = await client.request(`https://localhost:${port}/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZpError);
    expect((err as ZpError).type).toBe(ErrorType.InvalidCert);
  });

  it("talks HTTPS with the CA trusted, reusing the connection", async () => {
    client = new HttpClient({ tls: { ca: pki.caCert } });
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const res = await client.request(`https://localhost:${port}/r${i}`);
      expect(await res.body.text()).toBe(`secure /r${i} localhost`);
      expect(res.reused).toBe(i > 0);
    }
    expect(connections - before).toBe(1);
  });

  it("sends the SNI of the peer and checks the certificate against it", async () => {
    connector = new Connector();
    const peer: Peer = { address: "127.0.0.1", port, tls: true, sni: "api.test", ca: pki.caCert };
    const conn = await connector.connect(peer);
    expect(await get(conn, "/sni")).toBe("secure /sni api.test");
    expect(conn.alpnProtocol).toBe("http/1.1");
    conn.release();
    const wrong = await connector.connect({ ...peer, sni: "other.test" }).catch((e: unknown) => e);
    expect((wrong as ZpError).type).toBe(ErrorType.InvalidCert);
    // An IP literal is verified against the certificate's IP entry, without SNI.
    const byIp = await connector.connect({ address: "127.0.0.1", port, tls: true, ca: pki.caCert });
    expect(await get(byIp, "/ip")).toBe("secure /ip -");
    byIp.release();
  });

  it("accepts an untrusted certificate only with verifyCert: false, on its own pool key", async () => {
    connector = new Connector();
    const loose: Peer = { address: "localhost", port, tls: true, verifyCert: false };
    const strict: Peer = { address: "localhost", port, tls: true, ca: pki.caCert };
    const a = await connector.connect(loose);
    expect(await get(a, "/loose")).toContain("secure /loose");
    a.release();
    const b = await connector.connect(strict);
    expect(b.reused).toBe(false);
    expect(b.key).not.toBe(a.key);
    b.release();
    expect(connector.pool.size).toBe(2);
  });

  it("resumes the TLS session on a new connection (visible on the connection)", async () => {
    defaultSessionCache.clear();
    connector = new Connector();
    const peer: Peer = { address: "localhost", port, tls: true, ca: pki.caCert, group: "resume" };
    const first = await connector.open(peer);
    expect(first.tlsSessionReused).toBe(false);
    expect(await get(first, "/1")).toBe("secure /1 localhost");
    first.destroy();
    const second = await connector.open(peer);
    expect(second.tlsSessionReused).toBe(true);
    expect(await get(second, "/2")).toBe("secure /2 localhost");
    second.release();
  });

  it("reports a TLS upstream resetting mid-response as ConnectionClosed", async () => {
    const resetting = createTlsServer({ cert: pki.cert, key: pki.key }, (socket) => {
      socket.once("data", () => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
        setTimeout(() => (socket as unknown as { _parent?: Socket })._parent?.resetAndDestroy() ?? socket.destroy(), 20);
      });
    });
    resetting.listen(0, "127.0.0.1");
    await once(resetting, "listening");
    try {
      client = new HttpClient({ tls: { ca: pki.caCert } });
      const res = await client.request(`https://localhost:${(resetting.address() as AddressInfo).port}/`);
      const err = await res.body.text().catch((e: unknown) => e);
      expect((err as ZpError).type).toBe(ErrorType.ConnectionClosed);
    } finally {
      resetting.close();
    }
  });

  it("keeps plain and TLS connections, and different groups, apart", async () => {
    connector = new Connector();
    const a = connector.resolve({ address: "localhost", port, tls: true, ca: pki.caCert, group: "a" }).key;
    const b = connector.resolve({ address: "localhost", port, tls: true, ca: pki.caCert, group: "b" }).key;
    const plain = connector.resolve({ address: "localhost", port }).key;
    expect(new Set([a, b, plain]).size).toBe(3);
  });
});
