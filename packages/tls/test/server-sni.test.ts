import { connect, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTlsServerContext, type TlsServerContext } from "../src/index.js";
import { createCerts, type Certs } from "./helpers/fixture.js";
import { sClient, subjectCn } from "./helpers/openssl-client.js";
import { listenRaw, readAll, type RawTlsListener } from "./helpers/servers.js";

let certs: Certs;
let ctx: TlsServerContext;
let listener: RawTlsListener;

beforeAll(async () => {
  certs = createCerts();
  ctx = await createTlsServerContext({
    certificates: [
      { certFile: certs.localhost.certFile, keyFile: certs.localhost.keyFile },
      { certFile: certs.a.certFile, keyFile: certs.a.keyFile },
      { certFile: certs.wild.certFile, keyFile: certs.wild.keyFile },
    ],
  });
  listener = await listenRaw(ctx);
});

afterAll(async () => {
  await listener.close();
  ctx.close();
  certs.pki.dispose();
});

describe("SNI certificate selection (openssl s_client)", () => {
  it("takes certificate names from the certificates themselves", () => {
    expect(ctx.certificates.map((c) => c.names)).toEqual([["localhost"], ["a.test"], ["*.wild.test"]]);
    expect(ctx.certificates.map((c) => c.isDefault)).toEqual([true, false, false]);
    expect(ctx.certificates[1]!.serialNumber).toBe("02AA");
  });

  it("picks the exact-name certificate", async () => {
    expect(subjectCn(await sClient(listener.port, ["-servername", "a.test"]))).toBe("a.test");
  });

  it("picks the wildcard certificate for one label below it", async () => {
    expect(subjectCn(await sClient(listener.port, ["-servername", "api.wild.test"]))).toBe("*.wild.test");
  });

  it("does not let a wildcard match two labels or the bare parent", async () => {
    expect(subjectCn(await sClient(listener.port, ["-servername", "a.b.wild.test"]))).toBe("localhost");
    expect(subjectCn(await sClient(listener.port, ["-servername", "wild.test"]))).toBe("localhost");
  });

  it("uses the default certificate for an unknown name and without SNI", async () => {
    expect(subjectCn(await sClient(listener.port, ["-servername", "unknown.test"]))).toBe("localhost");
    expect(subjectCn(await sClient(listener.port, ["-noservername"]))).toBe("localhost");
  });

  it("matches names case-insensitively", async () => {
    expect(subjectCn(await sClient(listener.port, ["-servername", "A.Test"]))).toBe("a.test");
  });
});

describe("SNI with a node:tls client", () => {
  function handshake(servername: string): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: listener.port, servername, ca: certs.pki.ca.cert });
      socket.once("secureConnect", () => resolve(socket));
      socket.once("error", reject);
    });
  }

  it("verifies each certificate against the name asked for", async () => {
    for (const name of ["localhost", "a.test", "x.wild.test"]) {
      const socket = await handshake(name);
      expect(socket.authorized).toBe(true);
      socket.destroy();
    }
  });

  it("exposes the server name the client asked for on the accepted socket", async () => {
    const before = listener.accepted.length;
    const socket = await handshake("x.wild.test");
    expect(await readAll(socket)).toContain("200 OK");
    expect(listener.accepted.length).toBe(before + 1);
    expect(listener.accepted.at(-1)!.servername).toBe("x.wild.test");
  });

  it("resolves contexts by name like the handshake does", () => {
    expect(ctx.contextFor("a.test")).not.toBe(ctx.contextFor("b.test"));
    expect(ctx.contextFor("b.test")).toBe(ctx.contextFor(undefined));
    expect(ctx.contextFor("one.wild.test")).toBe(ctx.contextFor("two.wild.test"));
  });
});

describe("explicit names and default", () => {
  it("uses the names given instead of the certificate's and honours default: true", async () => {
    const explicit = await createTlsServerContext({
      certificates: [
        { cert: certs.localhost.cert, key: certs.localhost.key, names: ["alias.test"] },
        { cert: certs.a.cert, key: certs.a.key, default: true },
      ],
    });
    const l = await listenRaw(explicit);
    try {
      expect(subjectCn(await sClient(l.port, ["-servername", "alias.test"]))).toBe("localhost");
      expect(subjectCn(await sClient(l.port, ["-servername", "localhost"]))).toBe("a.test");
      expect(subjectCn(await sClient(l.port, ["-noservername"]))).toBe("a.test");
    } finally {
      await l.close();
      explicit.close();
    }
  });
});
