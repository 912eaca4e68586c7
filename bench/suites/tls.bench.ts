import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createServer as createTlsServer, type TLSSocket } from "node:tls";
import { TlsSessionCache, connectTls, createTlsServerContext } from "@zp/tls";
import { compare, printTable, writeResults } from "../lib/compare.js";

// Handshakes per second over loopback: our server context (raw sockets through accept())
// and our client (connectTls), full and resumed with a session ticket, beside a plain
// node:tls server and client with default settings (no resumption). One handshake is one
// operation: connect, finish the handshake, close. RSA-2048, the most common server key:
// resumption saves its signature, the costliest step of a full handshake.
const dir = mkdtempSync(join(tmpdir(), "zp-tls-bench-"));
const certFile = join(dir, "cert.pem");
const keyFile = join(dir, "key.pem");
execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes",
  "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], { stdio: "ignore" });
const cert = readFileSync(certFile);
const key = readFileSync(keyFile);

const ctx = await createTlsServerContext({ certificates: [{ cert, key }], sessionTickets: { rotateEveryMs: 0 } });
const ours = createNetServer((raw) => {
  ctx.accept(raw).then((socket) => socket.on("error", () => {}), () => {});
});
const plain = createTlsServer({ cert, key }, (socket) => socket.on("error", () => {}));
plain.on("tlsClientError", () => {});
await Promise.all([ours, plain].map((s) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve))));
const ourPort = (ours.address() as AddressInfo).port;
const plainPort = (plain.address() as AddressInfo).port;

const noCache = { host: "127.0.0.1", port: ourPort, sni: "localhost", ca: cert, sessionCache: false } as const;
const cache = new TlsSessionCache();
const cached = { ...noCache, sessionCache: cache };
let resumed = 0;
let attempted = 0;

async function ourHandshake(peer: typeof noCache | typeof cached): Promise<void> {
  const socket = await connectTls(peer);
  if (peer.sessionCache !== false) {
    attempted++;
    if (socket.isSessionReused()) resumed++;
  }
  socket.destroy();
}

function plainHandshake(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({ host: "127.0.0.1", port: plainPort, servername: "localhost", ca: cert });
    socket.once("secureConnect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}

// Prime the cache with a ticket: read until the server's tickets have arrived.
{
  const socket = await connectTls(cached);
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
}

const results = await compare("tls", [
  {
    name: "full handshake",
    ours: { name: "@zp/tls accept + connectTls", fn: () => ourHandshake(noCache) },
    theirs: [{ name: "node:tls defaults", fn: plainHandshake }],
  },
  {
    name: "resumed handshake (ticket)",
    ours: { name: "@zp/tls resumed", fn: () => ourHandshake(cached) },
    theirs: [{ name: "node:tls defaults (full)", fn: plainHandshake }],
  },
]);

const rate = (caseName: string, contender: string): number =>
  results.find((r) => r.case === caseName && r.name === contender)?.opsPerSec ?? Number.NaN;
const full = rate("full handshake", "@zp/tls accept + connectTls");
const again = rate("resumed handshake (ticket)", "@zp/tls resumed");
const plainFull = rate("full handshake", "node:tls defaults");
const summary = {
  resumedOverFull: again / full,
  oursFullOverPlain: full / plainFull,
  oursResumedOverPlain: again / plainFull,
  resumedShare: attempted === 0 ? 0 : resumed / attempted,
};
printTable("tls ratios", [
  ["ratio", "value"],
  ["resumed / full (ours)", `${summary.resumedOverFull.toFixed(2)}x`],
  ["ours full / plain full", `${summary.oursFullOverPlain.toFixed(2)}x`],
  ["ours resumed / plain full", `${summary.oursResumedOverPlain.toFixed(2)}x`],
  ["handshakes that resumed", `${(summary.resumedShare * 100).toFixed(1)}%`],
]);
writeResults("tls-ratios", summary);

ours.close();
plain.close();
ctx.close();
rmSync(dir, { recursive: true, force: true });
