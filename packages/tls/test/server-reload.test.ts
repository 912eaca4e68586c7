import { once } from "node:events";
import { rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import { ErrorType, ZpError } from "@zp/error";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTlsServerContext, type CertificateInfo, type TlsServerContext } from "../src/index.js";
import { TestPki } from "./helpers/pki.js";
import { firstCertificateSerial, sClient, subjectCn } from "./helpers/openssl-client.js";
import { listenRaw, type RawTlsListener } from "./helpers/servers.js";

let pki: TestPki;

beforeAll(() => {
  pki = new TestPki();
});

afterAll(() => pki.dispose());

beforeEach(() => {
  pki.issue("site", { cn: "a.test", san: "DNS:a.test", serial: "0A01" });
});

/** Echoes whatever the client sends, so a connection can be checked after a reload. */
function echo(socket: TLSSocket): void {
  socket.pipe(socket);
}

function openClient(port: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, servername: "a.test", ca: pki.ca.cert });
    socket.once("secureConnect", () => resolve(socket));
    socket.once("error", reject);
  });
}

async function servedSerial(port: number): Promise<string> {
  const socket = await openClient(port);
  const serial = socket.getPeerX509Certificate()!.serialNumber;
  socket.destroy();
  return serial;
}

async function withWatched(
  watch: { debounceMs?: number; pollIntervalMs?: number; fsEvents?: boolean },
  body: (ctx: TlsServerContext, listener: RawTlsListener) => Promise<void>,
): Promise<void> {
  const ctx = await createTlsServerContext({
    certificates: [{ certFile: pki.path("site.pem"), keyFile: pki.path("site.key") }],
    watch,
  });
  const listener = await listenRaw(ctx, echo);
  try {
    await body(ctx, listener);
  } finally {
    await listener.close();
    ctx.close();
  }
}

describe("hot reload", () => {
  it("serves a replaced certificate to new connections and leaves open ones alone (fs.watch)", async () => {
    await withWatched({ debounceMs: 50, pollIntervalMs: 0 }, async (ctx, listener) => {
      expect(await servedSerial(listener.port)).toBe("0A01");
      const open = await openClient(listener.port);

      const reloaded = once(ctx, "reload") as Promise<[readonly CertificateInfo[]]>;
      pki.issue("site", { cn: "a.test", san: "DNS:a.test", serial: "0A02" });
      const [certificates] = await reloaded;
      expect(certificates[0]!.serialNumber).toBe("0A02");
      expect(ctx.certificates[0]!.serialNumber).toBe("0A02");

      expect(await servedSerial(listener.port)).toBe("0A02");
      const sClientOutput = await sClient(listener.port, ["-servername", "a.test", "-showcerts"]);
      expect(subjectCn(sClientOutput)).toBe("a.test");
      expect(firstCertificateSerial(sClientOutput)).toBe("0A02");

      // The connection opened before the reload still works and still holds the old certificate.
      open.write("still here");
      const [echoed] = (await once(open, "data")) as [Buffer];
      expect(echoed.toString()).toBe("still here");
      expect(open.getPeerX509Certificate()!.serialNumber).toBe("0A01");
      open.destroy();
    });
  });

  it("keeps the old certificate and emits a ZpError when the new files are invalid", async () => {
    await withWatched({ debounceMs: 50, pollIntervalMs: 0 }, async (ctx, listener) => {
      const failed = once(ctx, "error") as Promise<[ZpError]>;
      writeFileSync(pki.path("site.pem"), "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
      const [error] = await failed;
      expect(error).toBeInstanceOf(ZpError);
      expect(error.type).toBe(ErrorType.InvalidCert);
      expect(error.message).toContain("site.pem");
      expect(await servedSerial(listener.port)).toBe("0A01");

      // A certificate whose key does not match is refused as well.
      const other = pki.issue("other", { cn: "a.test", san: "DNS:a.test", serial: "0A09" });
      const mismatch = once(ctx, "error") as Promise<[ZpError]>;
      writeFileSync(pki.path("site.pem"), other.cert);
      expect((await mismatch)[0].type).toBe(ErrorType.InvalidCert);
      expect(await servedSerial(listener.port)).toBe("0A01");

      // Fixing the files recovers.
      const reloaded = once(ctx, "reload");
      pki.issue("site", { cn: "a.test", san: "DNS:a.test", serial: "0A03" });
      await reloaded;
      expect(await servedSerial(listener.port)).toBe("0A03");
    });
  });

  it("notices changes by polling when fs.watch is off", async () => {
    await withWatched({ debounceMs: 10, pollIntervalMs: 100, fsEvents: false }, async (ctx, listener) => {
      await new Promise((resolve) => setTimeout(resolve, 150)); // let the first poll record the files
      const reloaded = once(ctx, "reload");
      pki.issue("site", { cn: "a.test", san: "DNS:a.test", serial: "0A04" });
      await reloaded;
      expect(await servedSerial(listener.port)).toBe("0A04");
    });
  });

  it("reports watch failures as process warnings when nobody listens for 'error'", async () => {
    await withWatched({ debounceMs: 20, pollIntervalMs: 0 }, async () => {
      const warned = once(process, "warning") as Promise<[Error]>;
      writeFileSync(pki.path("site.key"), "garbage");
      const [warning] = await warned;
      expect(warning).toBeInstanceOf(ZpError);
      expect((warning as ZpError).code).toBe("ZP_INVALID_CERT");
    });
  });
});

describe("reload()", () => {
  it("returns false when nothing changed, true after a change", async () => {
    const ctx = await createTlsServerContext({ certificates: [{ certFile: pki.path("site.pem"), keyFile: pki.path("site.key") }] });
    try {
      expect(await ctx.reload()).toBe(false);
      pki.issue("site", { cn: "a.test", san: "DNS:a.test", serial: "0A05" });
      const [a, b] = await Promise.all([ctx.reload(), ctx.reload()]);
      expect(a || b).toBe(true);
      expect(ctx.certificates[0]!.serialNumber).toBe("0A05");
    } finally {
      ctx.close();
    }
  });

  it("rejects with FileReadError for a missing file and keeps serving", async () => {
    await withWatched({ pollIntervalMs: 0, fsEvents: false }, async (ctx, listener) => {
      rmSync(pki.path("site.key"));
      const err = (await ctx.reload().catch((e: unknown) => e)) as ZpError;
      expect(err).toBeInstanceOf(ZpError);
      expect(err.type).toBe(ErrorType.FileReadError);
      expect(err.message).toContain("site.key");
      expect(await servedSerial(listener.port)).toBe("0A01");
    });
  });

  it("updates an attached tls.Server's default certificate", async () => {
    const ctx = await createTlsServerContext({ certificates: [{ certFile: pki.path("site.pem"), keyFile: pki.path("site.key") }] });
    const server = ctx.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      expect(await servedSerial(port)).toBe("0A01");
      pki.issue("site", { cn: "a.test", san: "DNS:a.test", serial: "0A06" });
      expect(await ctx.reload()).toBe(true);
      expect(await servedSerial(port)).toBe("0A06");
    } finally {
      await new Promise((resolve) => server.close(resolve));
      ctx.close();
    }
  });

  it("rejects at creation when a file cannot be read", async () => {
    await expect(createTlsServerContext({ certificates: [{ certFile: pki.path("nope.pem"), keyFile: pki.path("nope.key") }] })).rejects.toMatchObject({
      code: "ZP_FILE_READ_ERROR",
    });
  });
});
