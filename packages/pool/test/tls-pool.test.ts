import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { TimerWheel } from "@zp/timeout";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionPool, poolKey, type EvictionReason, type PeerIdentity } from "../src/index.js";
import { LoopbackServer, until, type Pair } from "./helpers/loopback.js";

let loopback: LoopbackServer;
const opened: TLSSocket[] = [];

/** A throwaway self-signed P-256 certificate for CN=localhost. */
function selfSignedCert(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), "zp-pool-tls-"));
  try {
    const keyFile = join(dir, "key.pem");
    const certFile = join(dir, "cert.pem");
    const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    args.push("-subj", "/CN=localhost", "-days", "1", "-keyout", keyFile, "-out", certFile);
    execFileSync("openssl", args, { stdio: "ignore" });
    return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  loopback = await LoopbackServer.start(selfSignedCert());
});

afterAll(async () => {
  for (const socket of opened) socket.destroy();
  await loopback.close();
});

async function connectTls(sni: string): Promise<Pair<TLSSocket>> {
  const pair = await loopback.connectTls(sni);
  opened.push(pair.client);
  return pair;
}

function peer(sni: string): PeerIdentity {
  return { host: "127.0.0.1", port: loopback.port, tls: true, sni, verifyCert: false, verifyHostname: false };
}

function tlsPool() {
  const evictions: EvictionReason[] = [];
  const pool = new ConnectionPool<TLSSocket>({
    wheel: new TimerWheel({ resolutionMs: 5 }),
    onEvict: (_socket, _key, reason) => evictions.push(reason),
  });
  return { pool, evictions };
}

describe("ConnectionPool with TLS sockets", () => {
  it("keys connections by SNI and hands each back only to its own key", async () => {
    const { pool } = tlsPool();
    const keyA = poolKey(peer("a.localhost"));
    const keyB = poolKey(peer("b.localhost"));
    const plainKey = poolKey({ host: "127.0.0.1", port: loopback.port, tls: false });
    expect(new Set([keyA, keyB, plainKey]).size).toBe(3);

    const a = await connectTls("a.localhost");
    const b = await connectTls("b.localhost");
    expect((a.server as TLSSocket).servername).toBe("a.localhost");
    expect(pool.put(keyA, a.client)).toBe(true);
    expect(pool.put(keyB, b.client)).toBe(true);
    expect(pool.get(plainKey)).toBeUndefined();
    expect(pool.get(keyB)).toBe(b.client);
    expect(pool.get(keyB)).toBeUndefined();
    expect(pool.get(keyA)).toBe(a.client);

    // The reused TLS connection still carries data both ways.
    a.server.on("data", (chunk: Buffer) => a.server.write(`echo ${chunk.toString()}`));
    const answer = new Promise<string>((resolve) => a.client.once("data", (chunk: Buffer) => resolve(chunk.toString())));
    a.client.write("hi");
    expect(await answer).toBe("echo hi");
    pool.close();
  });

  it("drops an idle TLS socket on close_notify, on reset and on unexpected data", async () => {
    const { pool, evictions } = tlsPool();
    const key = poolKey(peer("localhost"));
    const [ended, reset, chatty, kept] = [
      await connectTls("localhost"),
      await connectTls("localhost"),
      await connectTls("localhost"),
      await connectTls("localhost"),
    ];
    for (const pair of [kept, ended, reset, chatty]) expect(pool.put(key, pair!.client)).toBe(true);
    ended!.server.end();
    await until(() => evictions.length === 1);
    reset!.raw.resetAndDestroy();
    await until(() => evictions.length === 2);
    chatty!.server.write("surprise");
    await until(() => evictions.length === 3);
    expect(evictions).toEqual(["peer-closed", "peer-closed", "unexpected-data"]);
    expect(pool.idleCount(key)).toBe(1);
    expect(pool.get(key)).toBe(kept!.client);
    pool.close();
  });
});
