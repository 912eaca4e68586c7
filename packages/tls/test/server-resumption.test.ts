import { rmSync } from "node:fs";
import { connect, type TLSSocket } from "node:tls";
import { connect as netConnect, createServer as createNetServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTlsServerContext, type TlsServerContext } from "../src/index.js";
import { createCerts, type Certs } from "./helpers/fixture.js";
import { handshakeLines, sClient } from "./helpers/openssl-client.js";
import { answerHttp, listenRaw, readAll, type RawTlsListener } from "./helpers/servers.js";

let certs: Certs;

beforeAll(() => {
  certs = createCerts();
});

afterAll(() => certs.pki.dispose());

async function withListener(
  options: Partial<Parameters<typeof createTlsServerContext>[0]>,
  body: (listener: RawTlsListener, ctx: TlsServerContext) => Promise<void>,
): Promise<void> {
  const ctx = await createTlsServerContext({
    certificates: [
      { certFile: certs.localhost.certFile, keyFile: certs.localhost.keyFile },
      { certFile: certs.a.certFile, keyFile: certs.a.keyFile },
    ],
    ...options,
  });
  const listener = await listenRaw(ctx);
  try {
    await body(listener, ctx);
  } finally {
    await listener.close();
    ctx.close();
  }
}

/** One node:tls handshake offering `session`; resolves whether it resumed and the newest session it received. */
function nodeHandshake(port: number, session: Buffer | undefined, servername = "a.test", maxVersion: "TLSv1.2" | "TLSv1.3" = "TLSv1.3"): Promise<{ reused: boolean; session: Buffer | undefined }> {
  return new Promise((resolve, reject) => {
    let latest: Buffer | undefined;
    let reused = false;
    const options = { host: "127.0.0.1", port, servername, ca: certs.pki.ca.cert, maxVersion, ...(session === undefined ? {} : { session }) };
    const socket: TLSSocket = connect(options);
    socket.on("session", (s: Buffer) => (latest = s));
    socket.once("secureConnect", () => (reused = socket.isSessionReused()));
    socket.once("error", reject);
    readAll(socket).then(() => resolve({ reused, session: latest }), reject);
  });
}

describe("session resumption seen by openssl s_client", () => {
  it("resumes TLS 1.2 sessions by session ID from the server's session cache", async () => {
    await withListener({}, async (listener, ctx) => {
      const out = await sClient(listener.port, ["-servername", "a.test", "-tls1_2", "-no_ticket", "-reconnect"]);
      const lines = handshakeLines(out);
      expect(lines[0]).toMatch(/^New, TLSv1.2/);
      expect(lines.slice(1).length).toBeGreaterThanOrEqual(5);
      for (const line of lines.slice(1)) expect(line).toMatch(/^Reused, TLSv1.2/);
      expect(ctx.sessionCacheSize).toBe(1);
    });
  });

  it("does not resume by session ID when the cache is off", async () => {
    await withListener({ sessionCache: false }, async (listener) => {
      const lines = handshakeLines(await sClient(listener.port, ["-servername", "a.test", "-tls1_2", "-no_ticket", "-reconnect"]));
      expect(lines.every((line) => line.startsWith("New,"))).toBe(true);
    });
  });

  it("resumes TLS 1.2 sessions with tickets", async () => {
    await withListener({ sessionCache: false }, async (listener) => {
      const lines = handshakeLines(await sClient(listener.port, ["-servername", "a.test", "-tls1_2", "-reconnect"]));
      expect(lines[0]).toMatch(/^New, TLSv1.2/);
      expect(lines[1]).toMatch(/^Reused, TLSv1.2/);
    });
  });

  it("resumes TLS 1.3 with tickets saved by -sess_out and offered by -sess_in", async () => {
    await withListener({}, async (listener, ctx) => {
      const file = certs.pki.path("tls13.sess");
      const first = await sClient(listener.port, ["-servername", "a.test", "-ign_eof", "-sess_out", file]);
      expect(handshakeLines(first)[0]).toMatch(/^New, TLSv1.3/);
      const second = await sClient(listener.port, ["-servername", "a.test", "-ign_eof", "-sess_in", file]);
      expect(handshakeLines(second)[0]).toMatch(/^Reused, TLSv1.3/);
      // TLS 1.3 sessions resume by ticket only, so the session-ID cache keeps none of them.
      expect(ctx.sessionCacheSize).toBe(0);
      rmSync(file, { force: true });
    });
  });

  it("does not resume TLS 1.3 when tickets are off", async () => {
    await withListener({ sessionTickets: false }, async (listener) => {
      const file = certs.pki.path("off.sess");
      await sClient(listener.port, ["-servername", "a.test", "-ign_eof", "-sess_out", file]);
      const second = await sClient(listener.port, ["-servername", "a.test", "-ign_eof", "-sess_in", file]);
      expect(handshakeLines(second)[0]).toMatch(/^New, TLSv1.3/);
      rmSync(file, { force: true });
    });
  });
});

describe("ticket key rotation", () => {
  for (const version of ["TLSv1.3", "TLSv1.2"] as const) {
    it(`keeps tickets of the previous key valid after one rotation and drops them after two (${version})`, async () => {
      await withListener({ sessionTickets: { keep: 1, rotateEveryMs: 0 } }, async (listener, ctx) => {
        const first = await nodeHandshake(listener.port, undefined, "a.test", version);
        expect(first.reused).toBe(false);
        expect(first.session).toBeDefined();

        const keyBefore = ctx.ticketKey;
        ctx.rotateTicketKeys();
        expect(ctx.ticketKey).not.toEqual(keyBefore);
        expect((await nodeHandshake(listener.port, first.session, "a.test", version)).reused).toBe(true);

        ctx.rotateTicketKeys();
        expect((await nodeHandshake(listener.port, first.session, "a.test", version)).reused).toBe(false);
      });
    });
  }

  it("reads a ClientHello that arrives in pieces before choosing the key", async () => {
    await withListener({ sessionTickets: { rotateEveryMs: 0 } }, async (listener, ctx) => {
      // A relay that delivers the client's first bytes in two parts, 30 ms apart.
      const relay = createNetServer((client) => {
        const upstream = netConnect(listener.port, "127.0.0.1");
        let first = true;
        client.on("data", (chunk: Buffer) => {
          if (!first) return void upstream.write(chunk);
          first = false;
          upstream.write(chunk.subarray(0, 10));
          setTimeout(() => upstream.write(chunk.subarray(10)), 30);
        });
        upstream.pipe(client);
        client.on("error", () => upstream.destroy());
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
      });
      await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
      const relayPort = (relay.address() as AddressInfo).port;
      try {
        const first = await nodeHandshake(relayPort, undefined);
        ctx.rotateTicketKeys();
        expect((await nodeHandshake(relayPort, first.session)).reused).toBe(true);
      } finally {
        relay.close();
      }
    });
  });

  it("resumes with keep: 0 until the first rotation only", async () => {
    await withListener({ sessionTickets: { keep: 0, rotateEveryMs: 0 } }, async (listener, ctx) => {
      const first = await nodeHandshake(listener.port, undefined);
      expect((await nodeHandshake(listener.port, first.session)).reused).toBe(true);
      ctx.rotateTicketKeys();
      expect((await nodeHandshake(listener.port, first.session)).reused).toBe(false);
    });
  });

  it("rotates on its timer", async () => {
    await withListener({ sessionTickets: { rotateEveryMs: 50 } }, async (_listener, ctx) => {
      const key = ctx.ticketKey;
      await expect.poll(() => ctx.ticketKey?.equals(key!), { timeout: 2_000 }).toBe(false);
    });
  });

  it("shares an initial key between contexts (several workers), so their tickets resume on each other", async () => {
    const initialKey = Buffer.alloc(48, 7);
    await withListener({ sessionTickets: { initialKey, rotateEveryMs: 0 } }, async (one) => {
      await withListener({ sessionTickets: { initialKey, rotateEveryMs: 0 } }, async (two) => {
        const first = await nodeHandshake(one.port, undefined);
        expect((await nodeHandshake(two.port, first.session)).reused).toBe(true);
      });
    });
  });

  it("switches an attached tls.Server to the new key at once (one key at a time there)", async () => {
    const ctx = await createTlsServerContext({
      certificates: [{ cert: certs.localhost.cert, key: certs.localhost.key }],
      sessionTickets: { rotateEveryMs: 0 },
    });
    const server = ctx.createServer(answerHttp);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const first = await nodeHandshake(port, undefined, "localhost");
      expect((await nodeHandshake(port, first.session, "localhost")).reused).toBe(true);
      ctx.rotateTicketKeys();
      expect(server.getTicketKeys()).toEqual(ctx.ticketKey);
      expect((await nodeHandshake(port, first.session, "localhost")).reused).toBe(false);
      const fresh = await nodeHandshake(port, undefined, "localhost");
      expect((await nodeHandshake(port, fresh.session, "localhost")).reused).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      ctx.close();
    }
  });
});
