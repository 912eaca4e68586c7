import { createServer as createNetServer, type AddressInfo, type Server } from "node:net";
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from "node:tls";
import { ErrorType, ZpError } from "@zp/error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TlsSessionCache, connectTls, createTlsClientOptions, verifiedPeerCertificate, type ConnectTlsOptions } from "../src/index.js";
import { createCerts, type Certs } from "./helpers/fixture.js";
import { readAll } from "./helpers/servers.js";

let certs: Certs;

beforeAll(() => {
  certs = createCerts();
});

afterAll(() => certs.pki.dispose());

/** A plain node:tls upstream that reports what it saw (SNI, ALPN, client cert) and closes. */
async function upstream(options: TlsOptions, body: (port: number, seen: string[]) => Promise<void>): Promise<void> {
  const seen: string[] = [];
  const server = createTlsServer({ ALPNProtocols: ["h2", "http/1.1"], ...options }, (socket: TLSSocket) => {
    const client = socket.getPeerX509Certificate()?.subject ?? "none";
    seen.push(`sni=${socket.servername || "none"} alpn=${socket.alpnProtocol || "none"} client=${client}`);
    socket.end("bye\n");
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await body((server.address() as AddressInfo).port, seen);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const localhostServer = (): TlsOptions => ({ cert: certs.localhost.cert, key: certs.localhost.key });

async function failure(options: ConnectTlsOptions): Promise<ZpError> {
  const err = await connectTls(options).then(
    (socket) => {
      socket.destroy();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ZpError);
  return err as ZpError;
}

describe("createTlsClientOptions", () => {
  it("sends SNI for names, never for IP literals, and verifies by default", () => {
    const byName = createTlsClientOptions({ host: "a.test", port: 443, sessionCache: false });
    expect(byName).toMatchObject({ host: "a.test", port: 443, servername: "a.test", rejectUnauthorized: true, minVersion: "TLSv1.2" });
    expect(createTlsClientOptions({ host: "127.0.0.1", port: 443 }).servername).toBeUndefined();
    expect(createTlsClientOptions({ host: "[::1]", port: 443 })).toMatchObject({ host: "::1" });
    expect(createTlsClientOptions({ host: "[::1]", port: 443 }).servername).toBeUndefined();
    expect(createTlsClientOptions({ host: "127.0.0.1", port: 443, sni: "a.test" }).servername).toBe("a.test");
    expect(createTlsClientOptions({ host: "a.test", port: 443, sni: false }).servername).toBeUndefined();
    expect(createTlsClientOptions({ host: "a.test", port: 443, verifyCert: false }).rejectUnauthorized).toBe(false);
  });

  it("rejects unusable peers", () => {
    expect(() => createTlsClientOptions({ host: "", port: 443 })).toThrow(/host/);
    expect(() => createTlsClientOptions({ host: "a.test", port: 0 })).toThrow(/port/);
    expect(() => createTlsClientOptions({ host: "a.test", port: 443, cert: "x" })).toThrow(/cert and key/);
  });
});

describe("connectTls verification", () => {
  it("refuses a server whose CA it does not trust (self-signed), with an upstream InvalidCert", async () => {
    await upstream({ cert: certs.selfSigned.cert, key: certs.selfSigned.key }, async (port) => {
      const err = await failure({ host: "localhost", port, sessionCache: false });
      expect(err.type).toBe(ErrorType.InvalidCert);
      expect(err.code).toBe("ZP_INVALID_CERT");
      expect(err.source).toBe("Upstream");
      expect(err.retryable()).toBe(false);
      expect((err.cause as NodeJS.ErrnoException).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    });
  });

  it("connects with the right CA and reports the verified certificate", async () => {
    await upstream(localhostServer(), async (port) => {
      const socket = await connectTls({ host: "localhost", port, ca: certs.pki.ca.cert, sessionCache: false });
      expect(socket.authorized).toBe(true);
      expect(verifiedPeerCertificate(socket)?.subject).toBe("CN=localhost");
      expect(await readAll(socket)).toBe("bye\n");
    });
  });

  it("verifies an IP literal against the certificate's IP entries", async () => {
    await upstream(localhostServer(), async (port, seen) => {
      const socket = await connectTls({ host: "127.0.0.1", port, ca: certs.pki.ca.cert, sessionCache: false });
      await readAll(socket);
      expect(seen[0]).toMatch(/^sni=none /);
    });
  });

  it("refuses a certificate for another name", async () => {
    await upstream({ cert: certs.a.cert, key: certs.a.key }, async (port) => {
      const err = await failure({ host: "127.0.0.1", port, sni: "b.test", ca: certs.pki.ca.cert, sessionCache: false });
      expect(err.type).toBe(ErrorType.InvalidCert);
      expect((err.cause as NodeJS.ErrnoException).code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    });
  });

  it("skips the name check with verifyHostname: false, but still checks the chain", async () => {
    await upstream({ cert: certs.a.cert, key: certs.a.key }, async (port) => {
      const socket = await connectTls({ host: "127.0.0.1", port, sni: "b.test", ca: certs.pki.ca.cert, verifyHostname: false, sessionCache: false });
      expect(socket.authorized).toBe(true);
      socket.destroy();
    });
    await upstream({ cert: certs.selfSigned.cert, key: certs.selfSigned.key }, async (port) => {
      const err = await failure({ host: "localhost", port, verifyHostname: false, sessionCache: false });
      expect(err.type).toBe(ErrorType.InvalidCert);
    });
  });

  it("accepts anything with verifyCert: false", async () => {
    await upstream({ cert: certs.selfSigned.cert, key: certs.selfSigned.key }, async (port) => {
      const socket = await connectTls({ host: "127.0.0.1", port, sni: "wrong.test", verifyCert: false, sessionCache: false });
      expect(socket.authorized).toBe(false);
      expect(verifiedPeerCertificate(socket)).toBeUndefined();
      socket.destroy();
    });
  });
});

describe("connectTls negotiation", () => {
  it("sends SNI and offers ALPN", async () => {
    await upstream(localhostServer(), async (port, seen) => {
      const socket = await connectTls({ host: "localhost", port, ca: certs.pki.ca.cert, alpn: ["http/1.1"], sessionCache: false });
      expect(socket.alpnProtocol).toBe("http/1.1");
      await readAll(socket);
      expect(seen[0]).toBe("sni=localhost alpn=http/1.1 client=none");
    });
  });

  it("presents a client certificate to an upstream that requires one", async () => {
    await upstream({ ...localhostServer(), requestCert: true, rejectUnauthorized: true, ca: certs.pki.ca.cert }, async (port, seen) => {
      // Without one: in TLS 1.3 the client may finish its side before the server's alert
      // arrives, so the refusal shows either on connect or on the first read.
      const outcome = await connectTls({ host: "localhost", port, ca: certs.pki.ca.cert, sessionCache: false }).then(
        (socket) => readAll(socket).then(() => "read", (e: NodeJS.ErrnoException) => e.code),
        (e: ZpError) => e.type.name,
      );
      expect(outcome).toMatch(/TLSHandshakeFailure|CERTIFICATE_REQUIRED/);
      expect(seen).toHaveLength(0);
      const socket = await connectTls({ host: "localhost", port, ca: certs.pki.ca.cert, cert: certs.client.cert, key: certs.client.key, sessionCache: false });
      await readAll(socket);
      expect(seen.at(-1)).toBe("sni=localhost alpn=none client=CN=client-1");
    });
  });

  it("is refused by a server that requires TLS 1.2 when it only speaks TLS 1.1", async () => {
    const legacy = { minVersion: "TLSv1.1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" } as const;
    await upstream(localhostServer(), async (port) => {
      const err = await failure({ host: "localhost", port, ca: certs.pki.ca.cert, sessionCache: false, ...legacy });
      expect(err.type).toBe(ErrorType.TLSHandshakeFailure);
      expect((err.cause as NodeJS.ErrnoException).code).toMatch(/PROTOCOL_VERSION/);
    });
    // The same client gets through once the server allows TLS 1.1: the refusal was the server's minVersion.
    await upstream({ ...localhostServer(), minVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" }, async (port) => {
      const socket = await connectTls({ host: "localhost", port, ca: certs.pki.ca.cert, sessionCache: false, ...legacy });
      expect(socket.getProtocol()).toBe("TLSv1.1");
      socket.destroy();
    });
  });
});

describe("connectTls session reuse", () => {
  for (const maxVersion of ["TLSv1.3", "TLSv1.2"] as const) {
    it(`resumes the second connection to the same upstream (${maxVersion})`, async () => {
      await upstream(localhostServer(), async (port) => {
        const cache = new TlsSessionCache();
        const peer = { host: "localhost", port, ca: certs.pki.ca.cert, maxVersion, sessionCache: cache };
        const first = await connectTls(peer);
        expect(first.isSessionReused()).toBe(false);
        // Keeping the session did not use up Node's own (read-once) certificate accessor.
        expect(first.getPeerX509Certificate()?.subject).toBe("CN=localhost");
        await readAll(first);
        expect(cache.size).toBe(1);
        const second = await connectTls(peer);
        expect(second.isSessionReused()).toBe(true);
        // The certificate is not sent again on resumption; the one verified first is reported.
        expect(second.authorized).toBe(true);
        expect(verifiedPeerCertificate(second)?.serialNumber).toBe("01AA");
        await readAll(second);
        // Another SNI is another peer: no session to offer.
        const other = await connectTls({ ...peer, host: "127.0.0.1" });
        expect(other.isSessionReused()).toBe(false);
        other.destroy();
      });
    });
  }

  it("uses the shared default cache unless told otherwise, and never resumes with sessionCache: false", async () => {
    await upstream(localhostServer(), async (port) => {
      const peer = { host: "localhost", port, ca: certs.pki.ca.cert };
      await readAll(await connectTls(peer));
      const again = await connectTls(peer);
      expect(again.isSessionReused()).toBe(true);
      again.destroy();
      const uncached = await connectTls({ ...peer, sessionCache: false });
      expect(uncached.isSessionReused()).toBe(false);
      uncached.destroy();
    });
  });

  for (const maxVersion of ["TLSv1.2", "TLSv1.3"] as const) {
    it(`never keeps a session from a connection it rejected (${maxVersion})`, async () => {
      // A resumed handshake skips the hostname check, so such a session must not come back.
      await upstream({ cert: certs.a.cert, key: certs.a.key }, async (port) => {
        const cache = new TlsSessionCache();
        const peer = { host: "127.0.0.1", port, sni: "b.test", ca: certs.pki.ca.cert, maxVersion, sessionCache: cache };
        expect((await failure(peer)).type).toBe(ErrorType.InvalidCert);
        expect(cache.size).toBe(0);
        expect((await failure(peer)).type).toBe(ErrorType.InvalidCert);
      });
    });
  }

  it("drops a cached session when the handshake offering it fails", async () => {
    const cache = new TlsSessionCache();
    let port = 0;
    await upstream(localhostServer(), async (p) => {
      port = p;
      await readAll(await connectTls({ host: "localhost", port, ca: certs.pki.ca.cert, sessionCache: cache }));
    });
    expect(cache.size).toBe(1);
    // Same port, now a server with an untrusted certificate.
    const server = createTlsServer({ cert: certs.selfSigned.cert, key: certs.selfSigned.key }, (s) => s.end());
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      const err = await failure({ host: "localhost", port, ca: certs.pki.ca.cert, sessionCache: cache });
      expect(err.type).toBe(ErrorType.InvalidCert);
      expect(cache.size).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("connectTls errors", () => {
  it("maps a refused connection to a retryable ConnectRefused", async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const err = await failure({ host: "127.0.0.1", port, sessionCache: false });
    expect(err.type).toBe(ErrorType.ConnectRefused);
    expect(err.retryable()).toBe(true);
    expect(err.message).toContain(`connecting to 127.0.0.1:${port}`);
  });

  it("times out a handshake the server never answers", async () => {
    const silent: Server = createNetServer((socket) => socket.on("data", () => {}));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const err = await failure({ host: "127.0.0.1", port, timeoutMs: 200, sessionCache: false });
      expect(err.type).toBe(ErrorType.TLSHandshakeTimeout);
    } finally {
      silent.close();
    }
  });

  it("rejects with the abort reason when its signal aborts", async () => {
    const silent: Server = createNetServer((socket) => socket.on("data", () => {}));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const controller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => controller.abort(reason), 50);
      await expect(connectTls({ host: "127.0.0.1", port, signal: controller.signal, sessionCache: false })).rejects.toBe(reason);
    } finally {
      silent.close();
    }
  });

  it("runs TLS over a socket it is given", async () => {
    await upstream(localhostServer(), async (port) => {
      const { connect } = await import("node:net");
      const raw = connect(port, "127.0.0.1");
      await new Promise((resolve) => raw.once("connect", resolve));
      const socket = await connectTls({ host: "localhost", port, socket: raw, ca: certs.pki.ca.cert, sessionCache: false });
      expect(await readAll(socket)).toBe("bye\n");
    });
  });
});
