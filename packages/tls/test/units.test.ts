import { connect, createServer, type TLSSocket } from "node:tls";
import type { AddressInfo } from "node:net";
import { ErrorType, ZpError } from "@zp/error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TICKET_KEY_BYTES, TicketKeyRing, certificateFacts, isCertificateError, tlsError } from "../src/index.js";
import { sessionProtocolVersion } from "../src/server-session-cache.js";
import { CoalescingRunner } from "../src/coalescing-runner.js";
import { createCerts, type Certs } from "./helpers/fixture.js";
import { readAll } from "./helpers/servers.js";

let certs: Certs;

beforeAll(() => {
  certs = createCerts();
});

afterAll(() => certs.pki.dispose());

const sys = (code: string): Error => Object.assign(new Error(code), { code });

describe("tlsError", () => {
  it("maps certificate failures to InvalidCert", () => {
    for (const code of ["DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_HAS_EXPIRED", "ERR_TLS_CERT_ALTNAME_INVALID"]) {
      const err = tlsError(sys(code), "upstream", "handshake");
      expect(err.type).toBe(ErrorType.InvalidCert);
      expect(isCertificateError(code)).toBe(true);
    }
  });

  it("maps TLS alerts and a peer vanishing mid-handshake to TLSHandshakeFailure", () => {
    expect(tlsError(sys("ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION"), "upstream", "handshake").type).toBe(ErrorType.TLSHandshakeFailure);
    // An alert about a certificate is still the handshake failing, not the peer's certificate being bad.
    expect(tlsError(sys("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED"), "upstream", "handshake").type).toBe(ErrorType.TLSHandshakeFailure);
    expect(tlsError(sys("ECONNRESET"), "downstream", "handshake").type).toBe(ErrorType.TLSHandshakeFailure);
    expect(tlsError(sys("ERR_TLS_HANDSHAKE_TIMEOUT"), "downstream", "handshake").type).toBe(ErrorType.TLSHandshakeTimeout);
  });

  it("maps TCP connect failures through fromSystemError and marks them retryable", () => {
    const refused = tlsError(sys("ECONNREFUSED"), "upstream", "connect", "connecting to 127.0.0.1:1");
    expect(refused.type).toBe(ErrorType.ConnectRefused);
    expect(refused.retryable()).toBe(true);
    expect(refused.source).toBe("Upstream");
    expect(refused.contexts).toEqual(["connecting to 127.0.0.1:1"]);
    expect(tlsError(sys("ETIMEDOUT"), "upstream", "connect").type).toBe(ErrorType.ConnectTimeout);
    expect(tlsError(sys("ECONNRESET"), "upstream", "handshake").retryable()).toBe(false);
  });

  it("passes ZpErrors through, setting the source", () => {
    const inner = ZpError.explain(ErrorType.InvalidCert, "client certificate rejected");
    const out = tlsError(inner, "downstream", "handshake", "accepting");
    expect(out).toBe(inner);
    expect(out.source).toBe("Downstream");
    expect(out.contexts).toEqual(["client certificate rejected", "accepting"]);
  });
});

describe("TicketKeyRing", () => {
  it("keeps the current key plus `keep` retired ones, newest first", () => {
    const ring = new TicketKeyRing({ keep: 2, initialKey: Buffer.alloc(TICKET_KEY_BYTES, 1) });
    expect(ring.hasRetiredKeys).toBe(false);
    ring.rotate(Buffer.alloc(48, 2));
    ring.rotate(Buffer.alloc(48, 3));
    ring.rotate(Buffer.alloc(48, 4));
    expect(ring.keys.map((k) => k[0])).toEqual([4, 3, 2]);
    expect(ring.current[0]).toBe(4);
    expect(ring.hasRetiredKeys).toBe(true);
  });

  it("finds keys by the 16-byte name a ticket starts with", () => {
    const ring = new TicketKeyRing({ initialKey: Buffer.alloc(48, 9) });
    ring.rotate();
    const ticket = Buffer.concat([Buffer.alloc(16, 9), Buffer.alloc(60, 0xee)]);
    expect(ring.find(ticket)?.[0]).toBe(9);
    expect(ring.find(Buffer.alloc(16, 8))).toBeUndefined();
    expect(ring.find(Buffer.alloc(15, 9))).toBeUndefined();
  });

  it("draws random 48-byte keys", () => {
    const ring = new TicketKeyRing();
    const first = ring.current;
    expect(first).toHaveLength(48);
    expect(ring.rotate()).not.toEqual(first);
  });
});

describe("certificateFacts", () => {
  it("reads CN and DNS subjectAltNames, lower-cased and deduplicated, and the identity", () => {
    const facts = certificateFacts(certs.localhost.cert);
    expect(facts.names).toEqual(["localhost"]);
    expect(facts.subject).toBe("CN=localhost");
    expect(facts.serialNumber).toBe("01AA");
    expect(facts.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(facts.validTo.getTime()).toBeGreaterThan(Date.now());
    expect(certificateFacts(certs.wild.cert).names).toEqual(["*.wild.test"]);
  });

  it("skips a CN that is not a host name, and IP entries", () => {
    const multi = certs.pki.issue("multi", { cn: "Example Service", san: "DNS:One.test,DNS:two.test,IP:10.0.0.1,DNS:one.test" });
    expect(certificateFacts(multi.cert).names).toEqual(["one.test", "two.test"]);
  });
});

describe("sessionProtocolVersion", () => {
  async function sessionOf(maxVersion: "TLSv1.2" | "TLSv1.3"): Promise<Buffer> {
    const server = createServer({ cert: certs.localhost.cert, key: certs.localhost.key }, (s) => s.end("x"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const socket: TLSSocket = connect({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, ca: certs.pki.ca.cert, servername: "localhost", maxVersion });
      let session: Buffer | undefined;
      socket.on("session", (s: Buffer) => (session = s));
      await readAll(socket);
      return session!;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it("reads the protocol version of real serialized sessions", async () => {
    expect(sessionProtocolVersion(await sessionOf("TLSv1.3"))).toBe(0x0304);
    expect(sessionProtocolVersion(await sessionOf("TLSv1.2"))).toBe(0x0303);
  });

  it("gives up on anything else", () => {
    expect(sessionProtocolVersion(Buffer.alloc(0))).toBeUndefined();
    expect(sessionProtocolVersion(Buffer.from([0x30, 0x03, 0x02, 0x01]))).toBeUndefined();
    expect(sessionProtocolVersion(Buffer.from("not der"))).toBeUndefined();
  });
});

describe("CoalescingRunner", () => {
  it("runs one at a time and folds requests made meanwhile into one follow-up run", async () => {
    let runs = 0;
    let active = 0;
    let maxActive = 0;
    const runner = new CoalescingRunner(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 20));
      active--;
      return ++runs;
    });
    const first = runner.run();
    const [a, b, c] = [runner.run(), runner.run(), runner.run()];
    expect(await first).toBe(1);
    expect(await Promise.all([a, b, c])).toEqual([2, 2, 2]);
    expect(maxActive).toBe(1);
    expect(await runner.run()).toBe(3);
  });

  it("starts the follow-up run even when the current one fails", async () => {
    let runs = 0;
    const runner = new CoalescingRunner(async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (runs === 1) throw new Error("first fails");
      return runs;
    });
    const first = runner.run();
    const second = runner.run();
    await expect(first).rejects.toThrow("first fails");
    expect(await second).toBe(2);
  });
});
