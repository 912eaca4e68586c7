import type { AddressInfo } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import { ErrorType, ZpError } from "@zp/error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTlsServerContext, verifiedPeerCertificate, type TlsServerContext } from "../src/index.js";
import { createCerts, type Certs } from "./helpers/fixture.js";
import { sClient } from "./helpers/openssl-client.js";
import { listenRaw, readAll, type RawTlsListener } from "./helpers/servers.js";

let certs: Certs;

beforeAll(() => {
  certs = createCerts();
});

afterAll(() => certs.pki.dispose());

/** Replies with who the client is, as the server sees it. */
function whoAmI(socket: TLSSocket): void {
  const peer = verifiedPeerCertificate(socket);
  const serial = peer === undefined ? "" : ` serial=${peer.serialNumber}`;
  socket.end(`authorized=${socket.authorized} peer=${peer?.subject ?? "none"}${serial}\n`);
}

async function withMtls(required: boolean, body: (listener: RawTlsListener, ctx: TlsServerContext) => Promise<void>): Promise<void> {
  const ctx = await createTlsServerContext({
    certificates: [
      { cert: certs.localhost.cert, key: certs.localhost.key },
      { cert: certs.a.cert, key: certs.a.key },
    ],
    clientAuth: { caFile: certs.pki.ca.certFile, required },
  });
  const listener = await listenRaw(ctx, whoAmI);
  try {
    await body(listener, ctx);
  } finally {
    await listener.close();
    ctx.close();
  }
}

/** Connects with an optional client certificate; resolves with what the server replied, or the client-side error. */
function talk(port: number, servername: string, client?: { cert: string; key: string }): Promise<{ reply?: string; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, servername, ca: certs.pki.ca.cert, ...client });
    readAll(socket).then(
      (reply) => resolve({ reply }),
      (error: NodeJS.ErrnoException) => resolve({ error }),
    );
  });
}

describe("client certificates (mutual TLS) on raw accepted sockets", () => {
  it("fails the handshake of a client without a certificate", async () => {
    await withMtls(true, async (listener) => {
      const { reply, error } = await talk(listener.port, "localhost");
      expect(reply === undefined || reply === "").toBe(true);
      expect(error?.code ?? "closed").toMatch(/CERTIFICATE_REQUIRED|ECONNRESET|closed/);
      const failure = (await listener.nextFailure()) as ZpError;
      expect(failure).toBeInstanceOf(ZpError);
      expect(failure.type).toBe(ErrorType.TLSHandshakeFailure);
      expect(failure.source).toBe("Downstream");
      expect(listener.accepted).toHaveLength(0);
    });
  });

  it("accepts a valid client certificate and exposes it, also under an SNI certificate", async () => {
    await withMtls(true, async (listener) => {
      for (const name of ["localhost", "a.test"]) {
        const { reply } = await talk(listener.port, name, certs.client);
        expect(reply).toBe("authorized=true peer=CN=client-1 serial=04AA\n");
      }
    });
  });

  it("rejects a certificate from an unknown issuer with InvalidCert", async () => {
    await withMtls(true, async (listener) => {
      const { reply } = await talk(listener.port, "a.test", certs.selfSigned);
      expect(reply ?? "").toBe("");
      const failure = (await listener.nextFailure()) as ZpError;
      expect(failure.type).toBe(ErrorType.InvalidCert);
      expect(failure.message).toContain("DEPTH_ZERO_SELF_SIGNED_CERT");
    });
  });

  it("makes the certificate optional with required: false", async () => {
    await withMtls(false, async (listener) => {
      expect((await talk(listener.port, "localhost")).reply).toBe("authorized=false peer=none\n");
      expect((await talk(listener.port, "localhost", certs.selfSigned)).reply).toBe("authorized=false peer=none\n");
      expect((await talk(listener.port, "localhost", certs.client)).reply).toBe("authorized=true peer=CN=client-1 serial=04AA\n");
    });
  });

  it("is checked by openssl s_client too: no certificate, no handshake", async () => {
    await withMtls(true, async (listener) => {
      const out = await sClient(listener.port, ["-servername", "a.test", "-ign_eof"]);
      expect(out).not.toContain("authorized=true");
      const withCert = await sClient(listener.port, ["-servername", "a.test", "-ign_eof", "-cert", certs.client.certFile, "-key", certs.client.keyFile]);
      expect(withCert).toContain("authorized=true peer=CN=client-1");
    });
  });
});

describe("client certificates with a tls.Server from the context", () => {
  it("rejects clients without a certificate and exposes verified ones", async () => {
    const ctx = await createTlsServerContext({
      certificates: [{ cert: certs.localhost.cert, key: certs.localhost.key }],
      clientAuth: { ca: certs.pki.ca.cert },
    });
    const server = ctx.createServer(whoAmI);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      expect((await talk(port, "localhost")).reply ?? "").toBe("");
      expect((await talk(port, "localhost", certs.selfSigned)).reply ?? "").toBe("");
      expect((await talk(port, "localhost", certs.client)).reply).toBe("authorized=true peer=CN=client-1 serial=04AA\n");
    } finally {
      await new Promise((resolve) => server.close(resolve));
      ctx.close();
    }
  });
});
