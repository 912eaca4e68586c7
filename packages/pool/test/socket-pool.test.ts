import { once } from "node:events";
import type { Socket } from "node:net";
import { TimerWheel } from "@zp/timeout";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionPool, poolKey, type EvictionReason } from "../src/index.js";
import { LoopbackServer, until, wait, type Pair } from "./helpers/loopback.js";

let loopback: LoopbackServer;
const opened: Socket[] = [];

beforeAll(async () => {
  loopback = await LoopbackServer.start();
});

afterAll(async () => {
  for (const socket of opened) socket.destroy();
  await loopback.close();
});

async function connect(): Promise<Pair> {
  const pair = await loopback.connect();
  opened.push(pair.client);
  return pair;
}

const keyA = poolKey({ host: "127.0.0.1", port: 1, tls: false, group: "a" });
const keyB = poolKey({ host: "127.0.0.1", port: 1, tls: false, group: "b" });

const idleEvents = ["data", "end", "close", "error"] as const;

function listenerCounts(socket: Socket): number[] {
  return idleEvents.map((event) => socket.listenerCount(event));
}

/** A pool that records its evictions, with a fine wheel so timeouts are quick. */
function recordingPool(options: ConstructorParameters<typeof ConnectionPool<Socket>>[0] = {}) {
  const evictions: { socket: Socket; key: string; reason: EvictionReason }[] = [];
  const pool = new ConnectionPool<Socket>({
    wheel: new TimerWheel({ resolutionMs: 5 }),
    ...options,
    onEvict: (socket, key, reason) => evictions.push({ socket, key, reason }),
  });
  return { pool, evictions };
}

describe("ConnectionPool with sockets: reuse", () => {
  it("hands back the same socket, unwatched, and it still works", async () => {
    const { pool } = recordingPool();
    const { client, server } = await connect();
    const before = listenerCounts(client);
    expect(pool.put(keyA, client)).toBe(true);
    expect(listenerCounts(client)).toEqual(before.map((n) => n + 1));
    expect(pool.size).toBe(1);
    expect(pool.idleCount(keyA)).toBe(1);
    expect(pool.get(keyB)).toBeUndefined();
    expect(pool.get(keyA)).toBe(client);
    // The data listener is gone; end/close/error stay, idle until the next put.
    expect(listenerCounts(client)).toEqual([before[0], before[1]! + 1, before[2]! + 1, before[3]! + 1]);
    expect(pool.size).toBe(0);
    pool.put(keyA, client);
    pool.get(keyA);
    expect(listenerCounts(client)).toEqual([before[0], before[1]! + 1, before[2]! + 1, before[3]! + 1]);

    // The handed-out socket carries a request and its answer as before.
    server.on("data", (chunk: Buffer) => server.write(chunk.toString().toUpperCase()));
    client.write("ping");
    const [answer] = (await once(client, "data")) as [Buffer];
    expect(answer.toString()).toBe("PING");
    expect(pool.stats()).toMatchObject({ hits: 2, misses: 1, puts: 2, idle: 0, keys: 0 });
    pool.close();
  });

  it("leaves a checked-out socket alone: its close is the owner's, its unhandled error still throws", async () => {
    const { pool, evictions } = recordingPool();
    const { client, server } = await connect();
    pool.put(keyA, client);
    expect(pool.get(keyA)).toBe(client);
    expect(() => client.emit("error", new Error("nobody listens"))).toThrow("nobody listens");
    const seen: Error[] = [];
    client.on("error", (err) => seen.push(err));
    expect(client.emit("error", new Error("the owner listens"))).toBe(true);
    expect(seen.map((err) => err.message)).toEqual(["the owner listens"]);
    server.end();
    await new Promise((resolve) => client.once("close", resolve));
    expect(evictions).toEqual([]);
    expect(pool.stats().evicted["peer-closed"]).toBe(0);
    expect(pool.put(keyA, client)).toBe(false);
  });

  it("hands out the most recently returned socket first (LIFO)", async () => {
    const { pool } = recordingPool();
    const pairs = [await connect(), await connect(), await connect()];
    for (const { client } of pairs) pool.put(keyA, client);
    expect(pool.get(keyA)).toBe(pairs[2]!.client);
    expect(pool.get(keyA)).toBe(pairs[1]!.client);
    pool.put(keyA, pairs[2]!.client);
    expect(pool.get(keyA)).toBe(pairs[2]!.client);
    expect(pool.get(keyA)).toBe(pairs[0]!.client);
    expect(pool.get(keyA)).toBeUndefined();
    pool.close();
  });
});

describe("ConnectionPool with sockets: limits", () => {
  it("closes a key's oldest socket past maxIdlePerKey, and the server sees it close", async () => {
    const { pool, evictions } = recordingPool({ maxIdlePerKey: 2 });
    const pairs = [await connect(), await connect(), await connect()];
    for (const { client } of pairs) expect(pool.put(keyA, client)).toBe(true);
    expect(pool.idleCount(keyA)).toBe(2);
    expect(evictions).toEqual([{ socket: pairs[0]!.client, key: keyA, reason: "key-limit" }]);
    expect(pairs[0]!.client.destroyed).toBe(true);
    await pairs[0]!.serverClosed;
    expect(pool.get(keyA)).toBe(pairs[2]!.client);
    expect(pool.get(keyA)).toBe(pairs[1]!.client);
    pool.close();
  });

  it("closes the globally least recently returned socket past maxIdle, across keys", async () => {
    const { pool, evictions } = recordingPool({ maxIdle: 3 });
    const [a1, b1, a2, b2, a3] = [await connect(), await connect(), await connect(), await connect(), await connect()];
    pool.put(keyA, a1!.client);
    pool.put(keyB, b1!.client);
    pool.put(keyA, a2!.client);
    pool.put(keyB, b2!.client); // over by one: a1 is the oldest
    pool.put(keyA, a3!.client); // then b1
    expect(evictions.map((e) => [e.socket, e.key, e.reason])).toEqual([
      [a1!.client, keyA, "lru"],
      [b1!.client, keyB, "lru"],
    ]);
    await Promise.all([a1!.serverClosed, b1!.serverClosed]);
    expect(pool.size).toBe(3);
    expect([...pool.idleCounts()].sort()).toEqual([
      [keyA, 2],
      [keyB, 1],
    ]);
    // A get refreshes nothing by itself: the socket put back becomes the newest.
    expect(pool.get(keyA)).toBe(a3!.client);
    pool.put(keyA, a3!.client);
    pool.put(keyB, (await connect()).client); // evicts a2, the oldest now
    expect(evictions[2]).toMatchObject({ socket: a2!.client, reason: "lru" });
    expect(pool.stats().evicted.lru).toBe(3);
    pool.close();
  });

  it("closes a socket idle past its timeout, never early, and the server sees it", async () => {
    const { pool, evictions } = recordingPool({ idleTimeoutMs: 60 });
    const { client, serverClosed } = await connect();
    const start = performance.now();
    pool.put(keyA, client);
    await serverClosed;
    expect(performance.now() - start).toBeGreaterThanOrEqual(59);
    expect(evictions).toEqual([{ socket: client, key: keyA, reason: "idle-timeout" }]);
    expect(pool.size).toBe(0);
    expect(pool.get(keyA)).toBeUndefined();
  });

  it("honours a per-put idle timeout and cancels the timer on get", async () => {
    const { pool, evictions } = recordingPool({ idleTimeoutMs: 40 });
    const long = await connect();
    const short = await connect();
    pool.put(keyA, long.client, { idleTimeoutMs: 10_000 });
    pool.put(keyB, short.client, { idleTimeoutMs: 20 });
    await short.serverClosed;
    await wait(80);
    expect(evictions.map((e) => e.socket)).toEqual([short.client]);
    expect(pool.get(keyA)).toBe(long.client);
    // Taken out before its timeout: nothing fires later.
    const again = await connect();
    pool.put(keyB, again.client);
    expect(pool.get(keyB)).toBe(again.client);
    await wait(80);
    expect(again.client.destroyed).toBe(false);
    expect(evictions).toHaveLength(1);
    pool.close();
  });

  it("stops reusing a socket after maxUses and at maxLifetimeMs", async () => {
    const { pool, evictions } = recordingPool({ maxUses: 2, maxLifetimeMs: 150 });
    const used = await connect();
    expect(pool.put(keyA, used.client)).toBe(true);
    expect(pool.get(keyA)).toBe(used.client);
    expect(pool.put(keyA, used.client)).toBe(false);
    expect(used.client.destroyed).toBe(true);

    const old = await connect();
    pool.put(keyB, old.client, { createdAt: performance.now() - 100 });
    await old.serverClosed; // about 50 ms left to live, well before the idle timeout
    expect(evictions).toEqual([{ socket: old.client, key: keyB, reason: "lifetime" }]);
    const aged = await connect();
    expect(pool.put(keyB, aged.client, { createdAt: performance.now() - 200 })).toBe(false);
    expect(pool.stats().refused).toMatchObject({ lifetime: 2 });
    pool.close();
  });
});

describe("ConnectionPool with sockets: liveness", () => {
  it("drops an idle socket the server closes (FIN) at once, before any get", async () => {
    const { pool, evictions } = recordingPool();
    const keep = await connect();
    const { client, server } = await connect();
    pool.put(keyA, keep.client);
    pool.put(keyA, client);
    server.end();
    await until(() => evictions.length === 1);
    expect(evictions[0]).toEqual({ socket: client, key: keyA, reason: "peer-closed" });
    expect(pool.idleCount(keyA)).toBe(1);
    expect(client.destroyed).toBe(true);
    expect(pool.get(keyA)).toBe(keep.client);
    pool.close();
  });

  it("drops an idle socket the server resets (RST) without an uncaught error", async () => {
    const { pool, evictions } = recordingPool();
    const { client, server } = await connect();
    // No error listener but the pool's: an unhandled ECONNRESET would fail the run.
    expect(client.listenerCount("error")).toBe(0);
    pool.put(keyA, client);
    server.resetAndDestroy();
    // (events.once would listen for 'error' itself, so wait for 'close' plainly.)
    await new Promise((resolve) => client.once("close", resolve));
    expect((client.errored as NodeJS.ErrnoException | null)?.code).toBe("ECONNRESET");
    expect(evictions).toEqual([{ socket: client, key: keyA, reason: "peer-closed" }]);
    expect(pool.size).toBe(0);
    expect(pool.get(keyA)).toBeUndefined();
  });

  it("drops an idle socket that receives unexpected bytes", async () => {
    const { pool, evictions } = recordingPool();
    const { client, server, serverClosed } = await connect();
    pool.put(keyA, client);
    server.write("HTTP/1.1 408 Request Timeout\r\n\r\n");
    await serverClosed;
    expect(evictions).toEqual([{ socket: client, key: keyA, reason: "unexpected-data" }]);
    expect(pool.stats().evicted["unexpected-data"]).toBe(1);
    expect(pool.get(keyA)).toBeUndefined();
  });

  it("sees bytes that arrive for a socket put back paused", async () => {
    const { pool, evictions } = recordingPool();
    const { client, server } = await connect();
    client.pause();
    pool.put(keyA, client);
    server.write("x");
    await until(() => evictions.length === 1);
    expect(evictions[0]!.reason).toBe("unexpected-data");
  });

  it("never hands out a socket destroyed by someone else while idle", async () => {
    const { pool, evictions } = recordingPool();
    const first = await connect();
    const second = await connect();
    pool.put(keyA, first.client);
    pool.put(keyA, second.client);
    second.client.destroy(); // its close event is still queued
    expect(pool.get(keyA)).toBe(first.client);
    expect(evictions).toEqual([{ socket: second.client, key: keyA, reason: "peer-closed" }]);
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 0 });
    pool.close();
  });
});

describe("ConnectionPool with sockets: refusals and shutdown", () => {
  it("refuses and closes a socket with unread bytes", async () => {
    const { pool } = recordingPool();
    const { client, server, serverClosed } = await connect();
    server.write("leftover");
    await until(() => client.readableLength > 0);
    expect(pool.put(keyA, client)).toBe(false);
    expect(client.destroyed).toBe(true);
    await serverClosed;
    expect(pool.size).toBe(0);
    expect(pool.stats().refused.unhealthy).toBe(1);
  });

  it("refuses destroyed and half-closed sockets", async () => {
    const { pool } = recordingPool();
    const destroyed = await connect();
    destroyed.client.destroy();
    expect(pool.put(keyA, destroyed.client)).toBe(false);
    const ended = await connect();
    ended.client.end();
    expect(pool.put(keyA, ended.client)).toBe(false);
    expect(ended.client.destroyed).toBe(true);
    const peerEnded = await connect();
    peerEnded.server.end();
    await once(peerEnded.client, "end");
    expect(pool.put(keyA, peerEnded.client)).toBe(false);
    expect(pool.stats().refused.unhealthy).toBe(3);
    expect(pool.size).toBe(0);
  });

  it("drain closes one key's sockets or all; close shuts the pool", async () => {
    const { pool, evictions } = recordingPool();
    const [a, b, c] = [await connect(), await connect(), await connect()];
    pool.put(keyA, a!.client);
    pool.put(keyB, b!.client);
    pool.drain(keyA);
    expect(evictions.map((e) => e.socket)).toEqual([a!.client]);
    expect(pool.size).toBe(1);
    pool.close();
    expect(pool.closed).toBe(true);
    expect(evictions.map((e) => e.reason)).toEqual(["drained", "drained"]);
    await Promise.all([a!.serverClosed, b!.serverClosed]);
    expect(pool.put(keyA, c!.client)).toBe(false);
    await c!.serverClosed;
    expect(pool.get(keyA)).toBeUndefined();
    expect(pool.stats().refused["shut-down"]).toBe(1);
  });

  it("throws when a socket is put twice", async () => {
    const { pool } = recordingPool();
    const { client } = await connect();
    pool.put(keyA, client);
    expect(() => pool.put(keyB, client)).toThrow(expect.objectContaining({ code: "ZP_POOL_ALREADY_IDLE" }));
    expect(pool.size).toBe(1);
    pool.close();
  });
});
