import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import { fakeAdapter } from "./helpers/fake-connection.js";
import { FakeConnection, fakePool } from "./helpers/fake-pool.js";
import { until, wait } from "./helpers/loopback.js";

describe("ConnectionPool idle timeouts", () => {
  it("closes idle connections at their timeout and keeps them idle until then", async () => {
    const { pool, evictions } = fakePool({ idleTimeoutMs: 40 });
    const start = performance.now();
    pool.put("k", new FakeConnection(1));
    await wait(20);
    const second = performance.now();
    pool.put("k", new FakeConnection(2));
    expect(pool.size).toBe(2);
    await until(() => evictions.length === 1);
    expect(evictions[0]).toMatchObject({ id: 1, reason: "idle-timeout" });
    expect(evictions[0]!.at - start).toBeGreaterThanOrEqual(40);
    expect(pool.size).toBe(1);
    await until(() => evictions.length === 2);
    expect(evictions[1]).toMatchObject({ id: 2, reason: "idle-timeout" });
    expect(evictions[1]!.at - second).toBeGreaterThanOrEqual(40);
    expect(pool.stats().evicted["idle-timeout"]).toBe(2);
  });

  it("restarts the idle timeout on every put", async () => {
    const { pool, evictions } = fakePool({ idleTimeoutMs: 60 });
    const conn = new FakeConnection(1);
    for (let i = 0; i < 4; i++) {
      pool.put("k", conn);
      await wait(30);
      expect(pool.get("k")).toBe(conn);
    }
    expect(evictions).toEqual([]);
    expect(conn.open).toBe(true);
  });

  it("moves the sweep on when the connection it waited for is taken", async () => {
    const { pool, evictions } = fakePool({ idleTimeoutMs: 50 });
    const first = new FakeConnection(1);
    pool.put("a", first);
    await wait(30);
    const secondAt = performance.now();
    pool.put("b", new FakeConnection(2));
    expect(pool.get("a")).toBe(first);
    await until(() => evictions.length === 1);
    expect(evictions[0]).toMatchObject({ id: 2, key: "b", reason: "idle-timeout" });
    expect(evictions[0]!.at - secondAt).toBeGreaterThanOrEqual(50);
    expect(first.open).toBe(true);
  });

  it("mixes the pool's timeout with per-put timeouts and lifetimes, in deadline order", async () => {
    const { pool, evictions } = fakePool({ idleTimeoutMs: 60, maxLifetimeMs: 1_000 });
    const start = performance.now();
    pool.put("k", new FakeConnection(1)); // the pool's timeout: 60
    pool.put("k", new FakeConnection(2), { idleTimeoutMs: 20 }); // 20
    pool.put("k", new FakeConnection(3), { idleTimeoutMs: 150 }); // 150
    pool.put("k", new FakeConnection(4), { createdAt: start - 960 }); // lifetime: 40
    pool.put("k", new FakeConnection(5), { idleTimeoutMs: Number.POSITIVE_INFINITY }); // lifetime: 1000
    await wait(10);
    pool.put("k", new FakeConnection(6)); // the pool's timeout: 10 + 60
    await until(() => evictions.length === 5);
    expect(evictions.map((e) => [e.id, e.reason])).toEqual([
      [2, "idle-timeout"],
      [4, "lifetime"],
      [1, "idle-timeout"],
      [6, "idle-timeout"],
      [3, "idle-timeout"],
    ]);
    const due = new Map([
      [2, 20],
      [4, 40],
      [1, 60],
      [6, 70],
      [3, 150],
    ]);
    for (const e of evictions) expect(e.at - start).toBeGreaterThanOrEqual(due.get(e.id)!);
    expect(pool.size).toBe(1);
    pool.close();
  });

  it("survives an onEvict that takes the next connection out of the pool", async () => {
    const conns = [1, 2, 3, 4].map((id) => new FakeConnection(id));
    const evicted: number[] = [];
    const taken: number[] = [];
    const pool: ConnectionPool<FakeConnection> = new ConnectionPool<FakeConnection>({
      adapter: fakeAdapter,
      idleTimeoutMs: 30,
      onEvict: (conn) => {
        evicted.push(conn.id);
        if (conn.id === 1) taken.push(pool.get("k2")?.id ?? 0);
      },
    });
    pool.put("k1", conns[0]!);
    pool.put("k2", conns[1]!);
    pool.put("k1", conns[2]!);
    pool.put("k3", conns[3]!);
    await until(() => pool.size === 0);
    expect(evicted).toEqual([1, 3, 4]);
    expect(taken).toEqual([2]);
    expect(conns[1]!.open).toBe(true);
  });

  it("never closes a connection before its deadline and eventually closes all (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.constantFrom("a", "b"),
            timeout: fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }),
            gap: fc.integer({ min: 0, max: 8 }),
            take: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (steps) => {
          const { pool, evictions } = fakePool({ idleTimeoutMs: 25 });
          const deadlines = new Map<number, number>();
          for (const [id, step] of steps.entries()) {
            const conn = new FakeConnection(id);
            pool.put(step.key, conn, step.timeout === undefined ? undefined : { idleTimeoutMs: step.timeout });
            deadlines.set(id, performance.now() + (step.timeout ?? 25));
            if (step.take) {
              const got = pool.get(step.key);
              if (got !== undefined) deadlines.delete(got.id);
            }
            await wait(step.gap);
          }
          await until(() => pool.size === 0, 3_000);
          expect(new Set(evictions.map((e) => e.id))).toEqual(new Set(deadlines.keys()));
          for (const e of evictions) {
            expect(e.reason).toBe("idle-timeout");
            // The deadline was noted just after the put, so it is at most a hair late.
            expect(e.at).toBeGreaterThanOrEqual(deadlines.get(e.id)! - 1);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe("process lifetime", () => {
  it("lets the process exit while connections sit idle", async () => {
    const script = fileURLToPath(new URL("./child/idle-pool.ts", import.meta.url));
    const start = performance.now();
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--conditions=@zp/source", "--import", "tsx", script], {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
      child.on("error", reject);
      child.on("close", (exitCode) => resolve({ code: exitCode, stdout: out.trim() }));
    });
    expect(code).toBe(0);
    expect(stdout).toBe("idle 3");
    // Startup takes a few seconds at most on a loaded machine; the timers would hold it for 50+.
    expect(performance.now() - start).toBeLessThan(20_000);
  });
});

describe("ConnectionPool sweep with a re-entrant onEvict", () => {
  it("keeps working when onEvict puts a connection back during a sweep", async () => {
    const evicted: number[] = [];
    let next = 10;
    const pool: ConnectionPool<FakeConnection> = new ConnectionPool<FakeConnection>({
      adapter: fakeAdapter,
      idleTimeoutMs: 25,
      onEvict: (conn) => {
        evicted.push(conn.id);
        // Replace each expired connection once, from inside the sweep.
        if (conn.id < 10) pool.put("k", new FakeConnection(next++));
      },
    });
    pool.put("k", new FakeConnection(1));
    pool.put("k", new FakeConnection(2));
    await until(() => evicted.length === 4);
    expect(evicted).toEqual([1, 2, 10, 11]);
    expect(pool.size).toBe(0);
  });
});
