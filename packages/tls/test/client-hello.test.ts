import { createServer as createNetServer, type AddressInfo } from "node:net";
import { connect, createServer as createTlsServer, type TlsOptions } from "node:tls";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanClientHello } from "../src/index.js";
import { createCerts, type Certs } from "./helpers/fixture.js";
import { readAll } from "./helpers/servers.js";

let certs: Certs;
const ticketKeys = Buffer.alloc(48, 0x5a);

beforeAll(() => {
  certs = createCerts();
});

afterAll(() => certs.pki.dispose());

/** A session from a real server whose ticket key is `ticketKeys`. */
async function realSession(maxVersion: "TLSv1.2" | "TLSv1.3"): Promise<Buffer> {
  const options: TlsOptions = { cert: certs.localhost.cert, key: certs.localhost.key, ticketKeys };
  const server = createTlsServer(options, (s) => s.end("x"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const socket = connect({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, servername: "localhost", ca: certs.pki.ca.cert, maxVersion });
    let session: Buffer | undefined;
    socket.on("session", (s: Buffer) => (session = s));
    await readAll(socket);
    return session!;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The bytes a node:tls client sends first (its ClientHello), captured by a plain TCP server. */
async function captureClientHello(maxVersion: "TLSv1.2" | "TLSv1.3", session?: Buffer): Promise<Buffer> {
  let resolveBytes!: (b: Buffer) => void;
  const bytes = new Promise<Buffer>((resolve) => (resolveBytes = resolve));
  const capture = createNetServer((raw) => {
    raw.once("data", (chunk: Buffer) => {
      resolveBytes(chunk);
      raw.destroy();
    });
  });
  await new Promise<void>((resolve) => capture.listen(0, "127.0.0.1", resolve));
  const port = (capture.address() as AddressInfo).port;
  const client = connect({ host: "127.0.0.1", port, servername: "localhost", maxVersion, ...(session === undefined ? {} : { session }) });
  client.on("error", () => {});
  try {
    return await bytes;
  } finally {
    client.destroy();
    capture.close();
  }
}

/** Re-frames the records of `hello` so the handshake message spans records of `size` bytes. */
function refragment(hello: Buffer, size: number): Buffer {
  const length = hello.readUInt16BE(3);
  const message = hello.subarray(5, 5 + length);
  const records: Buffer[] = [];
  for (let at = 0; at < message.length; at += size) {
    const part = message.subarray(at, at + size);
    const header = Buffer.from([22, 3, 1, 0, 0]);
    header.writeUInt16BE(part.length, 3);
    records.push(header, part);
  }
  return Buffer.concat(records);
}

describe("scanClientHello on real ClientHellos", () => {
  for (const version of ["TLSv1.3", "TLSv1.2"] as const) {
    it(`finds the ticket and the server's key name in it (${version})`, async () => {
      const hello = await captureClientHello(version, await realSession(version));
      const scan = scanClientHello(hello);
      expect(scan.kind).toBe("complete");
      const ticket = scan.kind === "complete" ? scan.ticket : undefined;
      expect(Buffer.from(ticket!.subarray(0, 16))).toEqual(ticketKeys.subarray(0, 16));
    });

    it(`reports no ticket for a first connection (${version})`, async () => {
      expect(scanClientHello(await captureClientHello(version))).toEqual({ kind: "complete", ticket: undefined });
    });
  }

  it("reassembles a ClientHello split over several records", async () => {
    const hello = await captureClientHello("TLSv1.3", await realSession("TLSv1.3"));
    const ticketOf = (bytes: Buffer): Buffer | undefined => {
      const scan = scanClientHello(bytes);
      return scan.kind === "complete" && scan.ticket !== undefined ? Buffer.from(scan.ticket) : undefined;
    };
    const whole = ticketOf(hello);
    expect(whole).toBeDefined();
    for (const size of [1, 7, 100]) expect(ticketOf(refragment(hello, size))).toEqual(whole);
  });

  it("asks for more bytes while the ClientHello is incomplete", async () => {
    const hello = await captureClientHello("TLSv1.3", await realSession("TLSv1.3"));
    for (const cut of [0, 1, 4, 5, 6, 50, hello.length - 1]) expect(scanClientHello(hello.subarray(0, cut)).kind).toBe("incomplete");
    const split = refragment(hello, 64);
    expect(scanClientHello(split.subarray(0, split.length - 3)).kind).toBe("incomplete");
  });

  it("gives up on bytes that are not TLS", () => {
    expect(scanClientHello(Buffer.from("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n")).kind).toBe("invalid");
    expect(scanClientHello(Buffer.from([22, 3, 1, 0, 4, 2, 0, 0, 0])).kind).toBe("invalid"); // ServerHello, not ClientHello
  });

  it("never throws and never claims more than it got on arbitrary bytes (property)", async () => {
    const hello = await captureClientHello("TLSv1.3", await realSession("TLSv1.3"));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const scan = scanClientHello(bytes);
        expect(["incomplete", "invalid", "complete"]).toContain(scan.kind);
      }),
    );
    // Corrupting one byte of a real ClientHello never throws either.
    fc.assert(
      fc.property(fc.nat({ max: hello.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const copy = Buffer.from(hello);
        copy[at] = value;
        const scan = scanClientHello(copy);
        if (scan.kind === "complete" && scan.ticket !== undefined) expect(scan.ticket.length).toBeLessThanOrEqual(copy.length);
      }),
    );
  });
});
