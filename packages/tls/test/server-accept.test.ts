import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { connect, TLSSocket } from "node:tls";
import { ErrorType, ZpError } from "@zp/error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TlsConfigError, createTlsServerContext, type TlsServerContext } from "../src/index.js";
import { createCerts, type Certs } from "./helpers/fixture.js";
import { listenRaw, readAll } from "./helpers/servers.js";

let certs: Certs;
let ctx: TlsServerContext;

beforeAll(async () => {
  certs = createCerts();
  ctx = await createTlsServerContext({ certificates: [{ cert: certs.localhost.cert, key: certs.localhost.key }], sessionTickets: { rotateEveryMs: 0 } });
});

afterAll(() => {
  ctx.close();
  certs.pki.dispose();
});

/** Accepts one raw connection and hands it to `onRaw`; resolves with the port. */
async function oneShot(onRaw: (raw: Socket) => void): Promise<{ port: number; close: () => void }> {
  const server = createNetServer(onRaw);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

describe("accept()", () => {
  it("rejects a client speaking plain HTTP with a downstream TLSHandshakeFailure, with and without reading the ClientHello first", async () => {
    for (const rotated of [false, true]) {
      if (rotated) ctx.rotateTicketKeys(); // a retired key makes accept() read the ClientHello itself
      const listener = await listenRaw(ctx);
      try {
        const raw = netConnect(listener.port, "127.0.0.1");
        raw.on("error", () => {});
        raw.end("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
        const err = (await listener.nextFailure()) as ZpError;
        expect(err).toBeInstanceOf(ZpError);
        expect(err.type).toBe(ErrorType.TLSHandshakeFailure);
        expect(err.source).toBe("Downstream");
      } finally {
        await listener.close();
      }
    }
  });

  it("times out an idle client with TLSHandshakeTimeout", async () => {
    let result: Promise<unknown> | undefined;
    const server = await oneShot((raw) => {
      result = ctx.accept(raw, { timeoutMs: 100 }).catch((e: unknown) => e);
    });
    const idle = netConnect(server.port, "127.0.0.1");
    idle.on("error", () => {});
    try {
      await expect.poll(() => result).toBeDefined();
      const err = (await result) as ZpError;
      expect(err.type).toBe(ErrorType.TLSHandshakeTimeout);
      await new Promise((resolve) => idle.once("close", resolve)); // the server destroyed it
    } finally {
      idle.destroy();
      server.close();
    }
  });

  it("rejects with the abort reason of its signal", async () => {
    const controller = new AbortController();
    const reason = new Error("draining");
    let result: Promise<unknown> | undefined;
    const server = await oneShot((raw) => {
      result = ctx.accept(raw, { signal: controller.signal }).catch((e: unknown) => e);
      setTimeout(() => controller.abort(reason), 20);
    });
    const idle = netConnect(server.port, "127.0.0.1");
    idle.on("error", () => {});
    try {
      await expect.poll(() => result).toBeDefined();
      expect(await result).toBe(reason);
    } finally {
      idle.destroy();
      server.close();
    }
  });

  it("serves a TLSSocket built by hand from socketOptions()", async () => {
    const server = await oneShot((raw) => {
      const socket = new TLSSocket(raw, ctx.socketOptions());
      socket.once("secure", () => socket.end(`alpn=${socket.alpnProtocol}`));
      socket.on("error", () => {});
    });
    try {
      const client = connect({ host: "127.0.0.1", port: server.port, servername: "localhost", ca: certs.pki.ca.cert, ALPNProtocols: ["http/1.1"] });
      expect(await readAll(client)).toBe("alpn=http/1.1");
    } finally {
      server.close();
    }
  });

  it("destroys a wrapped socket whose client certificate fails when it is required", async () => {
    const mtls = await createTlsServerContext({
      certificates: [{ cert: certs.localhost.cert, key: certs.localhost.key }],
      clientAuth: { ca: certs.pki.ca.cert },
    });
    let serverError: unknown;
    const server = await oneShot((raw) => {
      const socket = mtls.wrap(raw);
      socket.on("error", (e) => (serverError = e));
      socket.once("secure", () => setImmediate(() => socket.destroyed || socket.end("welcome")));
    });
    try {
      const client = connect({ host: "127.0.0.1", port: server.port, servername: "localhost", ca: certs.pki.ca.cert, cert: certs.selfSigned.cert, key: certs.selfSigned.key });
      expect(await readAll(client).catch(() => "")).toBe("");
      await expect.poll(() => serverError).toBeInstanceOf(ZpError);
      expect((serverError as ZpError).type).toBe(ErrorType.InvalidCert);
    } finally {
      server.close();
      mtls.close();
    }
  });
});

describe("configuration errors", () => {
  const cert = (): { cert: string; key: string } => ({ cert: certs.a.cert, key: certs.a.key });

  it("refuses unusable options with TlsConfigError", async () => {
    await expect(createTlsServerContext({ certificates: [] })).rejects.toBeInstanceOf(TlsConfigError);
    await expect(createTlsServerContext({ certificates: [{ cert: "x" }] })).rejects.toThrow(/key/);
    await expect(createTlsServerContext({ certificates: [{ ...cert(), certFile: "a.pem" }] })).rejects.toThrow(/exactly one of cert/);
    await expect(createTlsServerContext({ certificates: [{ ...cert(), default: true }, { ...cert(), default: true }] })).rejects.toThrow(/default/);
    await expect(createTlsServerContext({ certificates: [cert()], clientAuth: {} })).rejects.toThrow(/clientAuth/);
    await expect(createTlsServerContext({ certificates: [cert()], sessionTimeoutSec: 0 })).rejects.toThrow(/sessionTimeoutSec/);
    await expect(createTlsServerContext({ certificates: [cert()], sessionIdContext: "x".repeat(33) })).rejects.toThrow(/sessionIdContext/);
    await expect(createTlsServerContext({ certificates: [cert()], sessionTickets: { keep: -1 } })).rejects.toThrow(/keep/);
    await expect(createTlsServerContext({ certificates: [cert()], sessionTickets: { initialKey: Buffer.alloc(47) } })).rejects.toThrow(/48-byte/);
  });

  it("refuses a key that does not match its certificate with InvalidCert", async () => {
    const err = (await createTlsServerContext({ certificates: [{ cert: certs.a.cert, key: certs.wild.key }] }).catch((e: unknown) => e)) as ZpError;
    expect(err).toBeInstanceOf(ZpError);
    expect(err.type).toBe(ErrorType.InvalidCert);
  });

  it("cannot rotate keys with tickets off", async () => {
    const off = await createTlsServerContext({ certificates: [cert()], sessionTickets: false });
    expect(off.ticketKey).toBeUndefined();
    expect(() => off.rotateTicketKeys()).toThrow(TlsConfigError);
    off.close();
  });
});
