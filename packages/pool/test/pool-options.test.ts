import { describe, expect, it } from "vitest";
import { ConnectionPool, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_IDLE, DEFAULT_MAX_IDLE_PER_KEY, PoolError } from "../src/index.js";
import { FakeConnection, fakeAdapter } from "./helpers/fake-connection.js";
import { fakePool } from "./helpers/fake-pool.js";

describe("ConnectionPool options", () => {
  it("has documented defaults", () => {
    const pool = new ConnectionPool();
    expect(pool.maxIdle).toBe(DEFAULT_MAX_IDLE);
    expect(pool.maxIdlePerKey).toBe(DEFAULT_MAX_IDLE_PER_KEY);
    expect(pool.idleTimeoutMs).toBe(DEFAULT_IDLE_TIMEOUT_MS);
    expect(pool.maxLifetimeMs).toBe(Number.POSITIVE_INFINITY);
    expect(pool.maxUses).toBe(Number.POSITIVE_INFINITY);
  });

  it("rejects bad limits with ZP_POOL_INVALID_OPTION", () => {
    const bad = [
      { maxIdle: -1 },
      { maxIdle: 1.5 },
      { maxIdlePerKey: Number.NaN },
      { idleTimeoutMs: 0 },
      { idleTimeoutMs: -5 },
      { maxLifetimeMs: Number.NaN },
      { maxUses: 0 },
    ];
    for (const options of bad) {
      expect(() => new ConnectionPool<FakeConnection>({ adapter: fakeAdapter, ...options })).toThrow(
        expect.objectContaining({ name: "PoolError", code: "ZP_POOL_INVALID_OPTION" }),
      );
    }
    expect(new PoolError("ZP_POOL_INVALID_OPTION", "x")).toBeInstanceOf(Error);
  });

  it("keeps nothing when a limit is 0", () => {
    for (const options of [{ maxIdle: 0 }, { maxIdlePerKey: 0 }]) {
      const { pool } = fakePool(options);
      const conn = new FakeConnection(1);
      expect(pool.put("k", conn)).toBe(false);
      expect(conn.open).toBe(false);
      expect(pool.stats().refused.limit).toBe(1);
    }
  });
});

describe("ConnectionPool keys", () => {
  it("forgets keys whose connections are gone, and still serves them afterwards", () => {
    const { pool } = fakePool({ maxIdle: Number.POSITIVE_INFINITY });
    const conns = Array.from({ length: 2_000 }, (_, i) => new FakeConnection(i));
    for (const [i, conn] of conns.entries()) pool.put(`key-${i}`, conn);
    expect(pool.stats().keys).toBe(2_000);
    for (let i = 0; i < 2_000; i++) pool.get(`key-${i}`);
    expect(pool.stats()).toMatchObject({ keys: 0, idle: 0 });
    pool.put("key-7", conns[7]!);
    expect(pool.idleCount("key-7")).toBe(1);
    expect(pool.get("key-7")).toBe(conns[7]);
  });
});

describe("ConnectionPool put meta", () => {
  it("does not keep a connection whose own idle timeout is 0 or less", () => {
    const { pool } = fakePool();
    for (const idleTimeoutMs of [0, -1]) {
      const conn = new FakeConnection(1);
      expect(pool.put("k", conn, { idleTimeoutMs })).toBe(false);
      expect(conn.open).toBe(false);
    }
    expect(pool.stats().refused.limit).toBe(2);
  });

  it("throws on a meta that is not a number, before touching the pool or the connection", () => {
    const { pool } = fakePool();
    const conn = new FakeConnection(1);
    const bad = [{ idleTimeoutMs: Number.NaN }, { idleTimeoutMs: "5" as unknown as number }, { createdAt: Number.POSITIVE_INFINITY }];
    for (const meta of bad) {
      expect(() => pool.put("k", conn, meta)).toThrow(expect.objectContaining({ code: "ZP_POOL_INVALID_OPTION" }));
    }
    expect(conn.open).toBe(true);
    expect(pool.size).toBe(0);
    expect(pool.put("k", conn)).toBe(true);
  });
});
