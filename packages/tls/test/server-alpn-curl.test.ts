import { execFile } from "node:child_process";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TlsConfigError, createTlsServerContext, type TlsServerContext } from "../src/index.js";
import { createCerts, type Certs } from "./helpers/fixture.js";
import { alpnProtocol, sClient } from "./helpers/openssl-client.js";
import { listenRaw, type RawTlsListener } from "./helpers/servers.js";

let certs: Certs;
let ctx: TlsServerContext;
let listener: RawTlsListener;

beforeAll(async () => {
  certs = createCerts();
  ctx = await createTlsServerContext({
    certificates: [
      { certFile: certs.localhost.certFile, keyFile: certs.localhost.keyFile },
      { certFile: certs.a.certFile, keyFile: certs.a.keyFile },
    ],
  });
  // Answer by hand, naming the protocol ALPN chose, like an HTTP/1.1 server would.
  listener = await listenRaw(ctx, (socket) => {
    const body = `alpn=${socket.alpnProtocol || "none"} sni=${socket.servername || "none"}\n`;
    socket.end(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
  });
});

afterAll(async () => {
  await listener.close();
  ctx.close();
  certs.pki.dispose();
});

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["--silent", "--show-error", "--max-time", "10", ...args], (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    );
  });
}

describe("ALPN", () => {
  it("negotiates h2 when offered first", async () => {
    expect(alpnProtocol(await sClient(listener.port, ["-servername", "a.test", "-alpn", "h2,http/1.1"]))).toBe("h2");
  });

  it("prefers the server's order over the client's", async () => {
    expect(alpnProtocol(await sClient(listener.port, ["-servername", "a.test", "-alpn", "http/1.1,h2"]))).toBe("h2");
  });

  it("falls back to http/1.1 when that is all the client offers", async () => {
    expect(alpnProtocol(await sClient(listener.port, ["-servername", "a.test", "-alpn", "http/1.1"]))).toBe("http/1.1");
  });

  it("follows a configured order", async () => {
    const h1First = await createTlsServerContext({ certificates: [{ cert: certs.a.cert, key: certs.a.key }], alpn: ["http/1.1", "h2"] });
    const l = await listenRaw(h1First);
    try {
      expect(alpnProtocol(await sClient(l.port, ["-servername", "a.test", "-alpn", "h2,http/1.1"]))).toBe("http/1.1");
    } finally {
      await l.close();
      h1First.close();
    }
  });

  it("rejects malformed protocol lists", async () => {
    await expect(createTlsServerContext({ certificates: [{ cert: certs.a.cert, key: certs.a.key }], alpn: [] })).rejects.toBeInstanceOf(TlsConfigError);
    await expect(createTlsServerContext({ certificates: [{ cert: certs.a.cert, key: certs.a.key }], alpn: ["h2", "h2"] })).rejects.toMatchObject({ code: "ZP_TLS_CONFIG" });
  });
});

describe("curl against our context", () => {
  it("verifies the SNI certificate and reads a hand-written HTTP/1.1 answer over a raw accepted socket", async () => {
    const { code, stdout, stderr } = await curl([
      "--http1.1",
      "--cacert",
      certs.pki.ca.certFile,
      "--resolve",
      `a.test:${listener.port}:127.0.0.1`,
      `https://a.test:${listener.port}/`,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe("alpn=http/1.1 sni=a.test\n");
  });

  it("fails verification without our CA", async () => {
    const { code } = await curl(["--http1.1", "--resolve", `a.test:${listener.port}:127.0.0.1`, `https://a.test:${listener.port}/`]);
    expect(code).toBe(60); // CURLE_PEER_FAILED_VERIFICATION
  });

  it("talks to node:https built from serverOptions()", async () => {
    const https = await createTlsServerContext({
      certificates: [
        { cert: certs.localhost.cert, key: certs.localhost.key },
        { cert: certs.a.cert, key: certs.a.key },
      ],
      alpn: ["http/1.1"],
    });
    const server = https.attach(
      createHttpsServer(https.serverOptions(), (req, res) => {
        res.end(`hello ${req.headers.host} via ${(req.socket as import("node:tls").TLSSocket).servername}\n`);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const { code, stdout } = await curl(["--cacert", certs.pki.ca.certFile, "--resolve", `a.test:${port}:127.0.0.1`, `https://a.test:${port}/`]);
      expect(code).toBe(0);
      expect(stdout).toBe(`hello a.test:${port} via a.test\n`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      https.close();
    }
  });
});
