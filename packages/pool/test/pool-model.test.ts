import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConnectionPool, PoolError, type EvictionReason, type PoolStats, type RefusalReason } from "../src/index.js";
import { FakeConnection, fakeAdapter } from "./helpers/fake-connection.js";

const KEYS = ["a", "b", "c", "d"];
const CONNS = 12;

type Op =
  | { kind: "put"; key: number; conn: number }
  | { kind: "get"; key: number }
  | { kind: "peer-close"; conn: number }
  | { kind: "peer-data"; conn: number }
  | { kind: "silent-close"; conn: number }
  | { kind: "drain"; key: number | undefined };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("put" as const), key: fc.nat(KEYS.length - 1), conn: fc.nat(CONNS - 1) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("get" as const), key: fc.nat(KEYS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("peer-close" as const), conn: fc.nat(CONNS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("peer-data" as const), conn: fc.nat(CONNS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("silent-close" as const), conn: fc.nat(CONNS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drain" as const), key: fc.option(fc.nat(KEYS.length - 1), { nil: undefined }) }) },
);

interface ModelConn {
  open: boolean;
  unread: boolean;
  uses: number;
  idleKey: string | undefined;
}

/** The pool's contract, written as plainly as possible: arrays in put order. */
class Model {
  readonly conns: ModelConn[] = Array.from({ length: CONNS }, () => ({ open: true, unread: false, uses: 0, idleKey: undefined }));
  /** Idle connections, least recently put first. */
  readonly order: number[] = [];
  readonly stats: PoolStats = {
    hits: 0,
    misses: 0,
    puts: 0,
    refused: { unhealthy: 0, lifetime: 0, limit: 0, "shut-down": 0 },
    evicted: { lru: 0, "key-limit": 0, "idle-timeout": 0, "peer-closed": 0, "unexpected-data": 0, lifetime: 0, drained: 0 },
    idle: 0,
    keys: 0,
  };
  readonly evictions: [number, string, EvictionReason][] = [];

  constructor(
    readonly maxIdle: number,
    readonly maxIdlePerKey: number,
    readonly maxUses: number,
  ) {}

  idleOf(key: string): number[] {
    return this.order.filter((id) => this.conns[id]!.idleKey === key);
  }

  private evict(id: number, reason: EvictionReason): void {
    const conn = this.conns[id]!;
    this.order.splice(this.order.indexOf(id), 1);
    this.evictions.push([id, conn.idleKey!, reason]);
    conn.idleKey = undefined;
    conn.open = false;
    this.stats.evicted[reason]++;
  }

  private refuse(id: number, reason: RefusalReason): false {
    this.conns[id]!.open = false;
    this.stats.refused[reason]++;
    return false;
  }

  /** @returns whether kept, or "throws". */
  put(key: string, id: number): boolean | "throws" {
    const conn = this.conns[id]!;
    if (conn.idleKey !== undefined) return "throws";
    if (!conn.open || conn.unread) return this.refuse(id, "unhealthy");
    if (++conn.uses >= this.maxUses) return this.refuse(id, "lifetime");
    conn.idleKey = key;
    this.order.push(id);
    this.stats.puts++;
    const ofKey = this.idleOf(key);
    if (ofKey.length > this.maxIdlePerKey) this.evict(ofKey[0]!, "key-limit");
    if (this.order.length > this.maxIdle) this.evict(this.order[0]!, "lru");
    return true;
  }

  get(key: string): number | undefined {
    for (;;) {
      const ofKey = this.idleOf(key);
      const id = ofKey[ofKey.length - 1];
      if (id === undefined) {
        this.stats.misses++;
        return undefined;
      }
      if (!this.conns[id]!.open) {
        this.evict(id, "peer-closed");
        continue;
      }
      this.order.splice(this.order.indexOf(id), 1);
      this.conns[id]!.idleKey = undefined;
      this.stats.hits++;
      return id;
    }
  }

  peer(id: number, reason: "peer-closed" | "unexpected-data"): void {
    const conn = this.conns[id]!;
    if (reason === "peer-closed") conn.open = false;
    else conn.unread = true;
    if (conn.idleKey !== undefined) this.evict(id, reason);
  }

  silentClose(id: number): void {
    this.conns[id]!.open = false;
  }

  drain(key: string | undefined): void {
    for (const id of [...this.order]) if (key === undefined || this.conns[id]!.idleKey === key) this.evict(id, "drained");
  }
}

describe("ConnectionPool bookkeeping against a model", () => {
  it("agrees on every result, count, eviction and close over random operations", () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(Number.POSITIVE_INFINITY, 2, 3, 6),
        (ops, maxIdle, maxIdlePerKey, maxUses) => {
          const evictions: [number, string, EvictionReason][] = [];
          const pool = new ConnectionPool<FakeConnection>({
            adapter: fakeAdapter,
            maxIdle,
            maxIdlePerKey,
            maxUses,
            idleTimeoutMs: Number.POSITIVE_INFINITY,
            onEvict: (conn, key, reason) => evictions.push([conn.id, key, reason]),
          });
          const model = new Model(maxIdle, maxIdlePerKey, maxUses);
          const conns = Array.from({ length: CONNS }, (_, id) => new FakeConnection(id));

          for (const o of ops) {
            switch (o.kind) {
              case "put": {
                const expected = model.put(KEYS[o.key]!, o.conn);
                if (expected === "throws") {
                  expect(() => pool.put(KEYS[o.key]!, conns[o.conn]!)).toThrow(PoolError);
                } else {
                  expect(pool.put(KEYS[o.key]!, conns[o.conn]!)).toBe(expected);
                }
                break;
              }
              case "get":
                expect(pool.get(KEYS[o.key]!)?.id).toBe(model.get(KEYS[o.key]!));
                break;
              case "peer-close":
              case "peer-data":
                model.peer(o.conn, o.kind === "peer-close" ? "peer-closed" : "unexpected-data");
                conns[o.conn]!.peer(o.kind === "peer-close" ? "peer-closed" : "unexpected-data");
                break;
              case "silent-close":
                model.silentClose(o.conn);
                conns[o.conn]!.open = false;
                break;
              case "drain":
                model.drain(o.key === undefined ? undefined : KEYS[o.key]);
                pool.drain(o.key === undefined ? undefined : KEYS[o.key]);
                break;
            }
            expect(pool.size).toBe(model.order.length);
            for (const key of KEYS) expect(pool.idleCount(key)).toBe(model.idleOf(key).length);
            expect(evictions).toEqual(model.evictions);
            for (const [id, conn] of conns.entries()) {
              expect(conn.open).toBe(model.conns[id]!.open);
              // An idle connection is watched; an open one that is not idle is not.
              if (model.conns[id]!.idleKey !== undefined) expect(conn.watcher).toBeDefined();
              else if (conn.open) expect(conn.watcher).toBeUndefined();
            }
          }
          const keysWithIdle = KEYS.filter((key) => model.idleOf(key).length > 0);
          expect(pool.stats()).toEqual({ ...model.stats, idle: model.order.length, keys: keysWithIdle.length });
          expect(new Map(pool.idleCounts())).toEqual(new Map(keysWithIdle.map((key) => [key, model.idleOf(key).length])));

          const idleBeforeClose = [...model.order];
          pool.close();
          expect(pool.size).toBe(0);
          for (const id of idleBeforeClose) expect(conns[id]!.open).toBe(false);
          expect(pool.put(KEYS[0]!, new FakeConnection(CONNS))).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
