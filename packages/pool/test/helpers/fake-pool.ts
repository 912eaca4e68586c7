import { TimerWheel } from "@zp/timeout";
import { ConnectionPool, type EvictionReason, type PoolOptionsBase } from "../../src/index.js";
import { FakeConnection, fakeAdapter } from "./fake-connection.js";

/** An eviction as seen by onEvict: connection id, reason and when it happened. */
export interface SeenEviction {
  id: number;
  key: string;
  reason: EvictionReason;
  at: number;
}

/** A pool of fake connections on a fine wheel that records its evictions. */
export function fakePool(options: Omit<PoolOptionsBase<FakeConnection>, "onEvict"> = {}) {
  const evictions: SeenEviction[] = [];
  const pool = new ConnectionPool<FakeConnection>({
    adapter: fakeAdapter,
    wheel: new TimerWheel({ resolutionMs: 5 }),
    onEvict: (conn, key, reason) => evictions.push({ id: conn.id, key, reason, at: performance.now() }),
    ...options,
  });
  return { pool, evictions };
}

export { FakeConnection };
