import { performance } from "node:perf_hooks";
import type { Socket } from "node:net";
import { NO_TIMER, defaultWheel, type TimerWheel, turnNow } from "@zp/timeout";
import type { ConnectionAdapter } from "./connection-adapter.js";
import { CLOSED, IDLE, IdleEntry, OUT, type EntryOwner } from "./idle-entry.js";
import { KeyBucket } from "./key-bucket.js";
import { PoolError } from "./pool-error.js";
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_IDLE,
  DEFAULT_MAX_IDLE_PER_KEY,
  checkCount,
  checkDuration,
  checkPutMeta,
  invalidOption,
  type PoolOptions,
  type PoolOptionsBase,
  type PutMeta,
} from "./pool-options.js";
import type { EvictionReason, PoolStats, RefusalReason } from "./pool-stats.js";
import { socketAdapter } from "./socket-adapter.js";

/** Empty key buckets tolerated before they are swept out of the map. */
const EMPTY_BUCKET_SLACK = 256;

/** Native timer callback of a pool's sweep; module-level so arming allocates no closure. */
function onSweepDue(pool: { sweepExpired(): void }): void {
  pool.sweepExpired();
}

/** Wheel callback for an entry's own timer; module-level so arming allocates no closure. */
function onIdleTimer(entry: IdleEntry<unknown>): void {
  entry.timer = NO_TIMER;
  if (entry.state === IDLE) {
    entry.owner.evictIdle(entry, entry.timerIsLifetime ? "lifetime" : "idle-timeout");
  }
}

/**
 * A keyed pool of idle connections, in the manner of pingora-pool: connections are put
 * back under a reuse key (see {@link poolKey}) after a request and taken out again by the
 * next request for the same key.
 *
 * - `get` hands out the most recently returned connection of a key (LIFO keeps hot
 *   connections warm and lets the cold ones time out).
 * - Over `maxIdlePerKey` the key's oldest connection is closed; over `maxIdle` the one
 *   returned longest ago across all keys is (LRU).
 * - Idle connections are watched through the {@link ConnectionAdapter}: one that the peer
 *   closes or resets, that fails, or that receives bytes is dropped at once and never
 *   handed out.
 * - Idle timeouts cost one clock read per `put` and nothing on `get`, with no
 *   `setTimeout` per connection: connections with the pool's own idle timeout expire in
 *   the order they were returned, so one unref'd native timer per pool, set for the
 *   oldest deadline, sweeps them. A connection with a timeout of its own (`PutMeta`) or
 *   whose lifetime ends sooner gets an O(1), allocation-free timer on a {@link TimerWheel}.
 *
 * `put` takes ownership: a connection it does not keep is closed. Everything is
 * synchronous, and the bookkeeping allocates nothing in a get/put cycle of a connection
 * the pool has seen before.
 *
 * @example
 * ```ts
 * const pool = new ConnectionPool({ maxIdlePerKey: 8, idleTimeoutMs: 30_000 });
 * const key = poolKey({ host: "127.0.0.1", port: 8080, tls: false });
 * const socket = pool.get(key) ?? net.connect(8080, "127.0.0.1");
 * // ... one request/response on it, then:
 * pool.put(key, socket);
 * ```
 */
export class ConnectionPool<T extends object = Socket> implements EntryOwner<T> {
  /** See {@link PoolLimits.maxIdle}. */
  readonly maxIdle: number;
  /** See {@link PoolLimits.maxIdlePerKey}. */
  readonly maxIdlePerKey: number;
  /** See {@link PoolLimits.idleTimeoutMs}. */
  readonly idleTimeoutMs: number;
  /** See {@link PoolLimits.maxLifetimeMs}. */
  readonly maxLifetimeMs: number;
  /** See {@link PoolLimits.maxUses}. */
  readonly maxUses: number;

  private readonly adapter: ConnectionAdapter<T>;
  private readonly wheel: TimerWheel;
  private readonly onEvict: ((conn: T, key: string, reason: EvictionReason) => void) | undefined;
  private readonly buckets = new Map<string, KeyBucket<T>>();
  private readonly entries = new WeakMap<T, IdleEntry<T>>();
  // The global list of idle entries: `oldest` is evicted first.
  private oldest: IdleEntry<T> | undefined = undefined;
  private newest: IdleEntry<T> | undefined = undefined;
  private idleTotal = 0;
  private emptyBuckets = 0;
  private shutDown = false;
  // The native timer that sweeps expired entries, and the time it is due.
  private sweepTimer: NodeJS.Timeout | undefined = undefined;

  private hits = 0;
  private misses = 0;
  private puts = 0;
  private readonly refused: Record<RefusalReason, number> = { unhealthy: 0, lifetime: 0, limit: 0, "shut-down": 0 };
  private readonly evicted: Record<EvictionReason, number> = {
    lru: 0,
    "key-limit": 0,
    "idle-timeout": 0,
    "peer-closed": 0,
    "unexpected-data": 0,
    lifetime: 0,
    drained: 0,
  };

  /** @param options See {@link PoolOptions}; for sockets every option may be left out. */
  constructor(...[given]: T extends Socket ? [options?: PoolOptions<T>] : [options: PoolOptions<T>]) {
    // The conditional type only decides whether `adapter` is required; read it plainly.
    const options = given as (PoolOptionsBase<T> & { adapter?: ConnectionAdapter<T> }) | undefined;
    this.maxIdle = checkCount("maxIdle", options?.maxIdle, DEFAULT_MAX_IDLE);
    this.maxIdlePerKey = checkCount("maxIdlePerKey", options?.maxIdlePerKey, DEFAULT_MAX_IDLE_PER_KEY);
    this.idleTimeoutMs = checkDuration("idleTimeoutMs", options?.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS);
    this.maxLifetimeMs = checkDuration("maxLifetimeMs", options?.maxLifetimeMs, Number.POSITIVE_INFINITY);
    this.maxUses = checkCount("maxUses", options?.maxUses, Number.POSITIVE_INFINITY);
    if (this.maxUses === 0) invalidOption("maxUses", "an integer >= 1 or Infinity", 0);
    this.adapter = options?.adapter ?? (socketAdapter as unknown as ConnectionAdapter<T>);
    this.wheel = options?.wheel ?? defaultWheel;
    this.onEvict = options?.onEvict;
  }

  /** Idle connections held, over all keys. */
  get size(): number {
    return this.idleTotal;
  }

  /** Whether {@link ConnectionPool.close} was called. */
  get closed(): boolean {
    return this.shutDown;
  }

  /** Idle connections held under `key`. */
  idleCount(key: string): number {
    return this.buckets.get(key)?.count ?? 0;
  }

  /** Each key with idle connections, with how many. */
  *idleCounts(): IterableIterator<[key: string, idle: number]> {
    for (const bucket of this.buckets.values()) if (bucket.count > 0) yield [bucket.key, bucket.count];
  }

  /**
   * Takes the most recently returned idle connection of `key` out of the pool, or returns
   * `undefined`. The connection is no longer watched: it is the caller's, to use and then
   * `put` back or close.
   */
  get(key: string): T | undefined {
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) {
      let entry = bucket.newest;
      while (entry !== undefined) {
        this.unlink(entry);
        const conn = entry.conn;
        // Closed by someone else since the put, with the close event still queued.
        if (!this.adapter.isReusable(conn)) {
          this.closeEntry(entry, "peer-closed");
          entry = bucket.newest;
          continue;
        }
        entry.state = OUT;
        this.adapter.unwatch(conn);
        this.hits++;
        return conn;
      }
    }
    this.misses++;
    return undefined;
  }

  /**
   * Returns a connection to the pool under `key`, most recent of its key. Takes ownership:
   * when the connection is not kept it is closed. It is not kept when the pool is closed,
   * when the adapter finds it unusable (destroyed, half closed, unread bytes), when it
   * reached `maxUses` or `maxLifetimeMs`, or when a limit is 0. Keeping it may close the
   * key's oldest connection (`maxIdlePerKey`) or the pool's oldest (`maxIdle`).
   *
   * @returns Whether the connection was kept.
   * @throws PoolError `ZP_POOL_ALREADY_IDLE` if the connection is idle in this pool already,
   *   `ZP_POOL_INVALID_OPTION` if `meta` holds a value that is not a number (or NaN); the
   *   connection then stays the caller's.
   */
  put(key: string, conn: T, meta?: PutMeta): boolean {
    if (meta !== undefined) checkPutMeta(meta);
    let entry = this.entries.get(conn);
    if (entry !== undefined && entry.state !== OUT) {
      if (entry.state === IDLE) throw new PoolError("ZP_POOL_ALREADY_IDLE", `connection put twice under ${JSON.stringify(key)}`);
      return this.refuse(conn, "unhealthy");
    }
    if (this.shutDown) return this.refuse(conn, "shut-down");
    if (!this.adapter.isReusable(conn)) return this.refuse(conn, "unhealthy");
    const timeoutMs = meta?.idleTimeoutMs ?? this.idleTimeoutMs;
    if (this.maxIdle === 0 || this.maxIdlePerKey === 0 || timeoutMs <= 0) return this.refuse(conn, "limit");

    const limitedLife = this.maxLifetimeMs !== Number.POSITIVE_INFINITY;
    const now = limitedLife || timeoutMs !== Number.POSITIVE_INFINITY ? turnNow() : 0;
    if (entry === undefined) {
      entry = new IdleEntry<T>(conn, meta?.createdAt ?? now, this);
      this.entries.set(conn, entry);
    }
    if (++entry.uses >= this.maxUses) return this.refuse(conn, "lifetime", entry);
    const lifeLeft = limitedLife ? entry.createdAt + this.maxLifetimeMs - now : Number.POSITIVE_INFINITY;
    if (lifeLeft <= 0) return this.refuse(conn, "lifetime", entry);

    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new KeyBucket<T>(key);
      this.buckets.set(key, bucket);
    } else if (bucket.count === 0) {
      this.emptyBuckets--;
    }
    entry.key = key;
    bucket.push(entry);
    entry.older = this.newest;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest.newer = entry;
    this.newest = entry;
    entry.state = IDLE;
    this.idleTotal++;
    this.puts++;
    this.adapter.watch(conn, entry);
    if (timeoutMs === this.idleTimeoutMs && timeoutMs <= lifeLeft) {
      // The common case: expire by the sweep, no timer of its own.
      entry.swept = timeoutMs !== Number.POSITIVE_INFINITY;
      entry.deadline = now + timeoutMs;
      if (entry.swept && this.sweepTimer === undefined) this.armSweep(entry.deadline, now);
    } else {
      entry.swept = false;
      entry.timerIsLifetime = lifeLeft < timeoutMs;
      entry.timer = this.wheel.arm(entry.timerIsLifetime ? lifeLeft : timeoutMs, onIdleTimer, entry as IdleEntry<unknown>);
    }

    if (bucket.count > this.maxIdlePerKey) this.evictIdle(bucket.oldest!, "key-limit");
    if (this.idleTotal > this.maxIdle) this.evictIdle(this.oldest!, "lru");
    return true;
  }

  /** Closes the idle connections of `key`, or of every key when `key` is left out. The pool stays open. */
  drain(key?: string): void {
    if (key === undefined) {
      while (this.oldest !== undefined) this.evictIdle(this.oldest, "drained");
      return;
    }
    const bucket = this.buckets.get(key);
    while (bucket?.oldest !== undefined) this.evictIdle(bucket.oldest, "drained");
  }

  /**
   * Closes every idle connection and shuts the pool: later `put`s close their connection,
   * later `get`s return `undefined`. Idempotent.
   */
  close(): void {
    this.shutDown = true;
    if (this.sweepTimer !== undefined) {
      clearTimeout(this.sweepTimer);
      this.sweepTimer = undefined;
    }
    this.drain();
    this.buckets.clear();
    this.emptyBuckets = 0;
  }

  /** A snapshot of the pool's counters and gauges. */
  stats(): PoolStats {
    return {
      hits: this.hits,
      misses: this.misses,
      puts: this.puts,
      refused: { ...this.refused },
      evicted: { ...this.evicted },
      idle: this.idleTotal,
      keys: this.buckets.size - this.emptyBuckets,
    };
  }

  /** @internal Unlinks an idle entry and closes its connection (entries and timers call it). */
  evictIdle(entry: IdleEntry<T>, reason: EvictionReason): void {
    this.unlink(entry);
    this.closeEntry(entry, reason);
  }

  /**
   * @internal Closes the swept entries whose idle timeout has ended and sets the sweep
   * timer for the next deadline (called by that timer).
   */
  sweepExpired(): void {
    this.sweepTimer = undefined;
    const now = performance.now();
    let entry = this.oldest;
    while (entry !== undefined) {
      if (!entry.swept) {
        entry = entry.newer;
        continue;
      }
      // Swept deadlines grow from oldest to newest: the first one not due is the next.
      if (entry.deadline > now) {
        this.armSweep(entry.deadline, now);
        return;
      }
      const next = entry.newer;
      this.evictIdle(entry, "idle-timeout");
      // onEvict may have changed the pool; start over if it took `next` out.
      entry = next === undefined || next.state === IDLE ? next : this.oldest;
    }
  }

  private armSweep(deadline: number, now: number): void {
    if (this.shutDown) return;
    // An onEvict that puts during a sweep may have armed one already: keep a single timer.
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    // Native timers may run a little early against performance.now(); the sweep then re-arms.
    this.sweepTimer = setTimeout(onSweepDue, Math.max(1, Math.ceil(deadline - now)), this).unref();
  }

  /** Takes an idle entry out of both lists and disarms its timer. */
  private unlink(entry: IdleEntry<T>): void {
    const bucket = entry.bucket!;
    bucket.remove(entry);
    if (bucket.count === 0 && ++this.emptyBuckets > EMPTY_BUCKET_SLACK && this.emptyBuckets > this.buckets.size >>> 1) {
      this.sweepEmptyBuckets();
    }
    const { older, newer } = entry;
    if (older === undefined) this.oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.newest = older;
    else newer.older = older;
    entry.older = undefined;
    entry.newer = undefined;
    this.idleTotal--;
    if (entry.timer !== NO_TIMER) {
      this.wheel.cancel(entry.timer);
      entry.timer = NO_TIMER;
    }
  }

  /** Closes the connection of an unlinked entry for good and reports it. */
  private closeEntry(entry: IdleEntry<T>, reason: EvictionReason): void {
    entry.state = CLOSED;
    this.evicted[reason]++;
    this.adapter.close(entry.conn);
    this.onEvict?.(entry.conn, entry.key, reason);
  }

  private refuse(conn: T, reason: RefusalReason, entry?: IdleEntry<T>): false {
    if (entry !== undefined) entry.state = CLOSED;
    this.refused[reason]++;
    this.adapter.close(conn);
    return false;
  }

  /** Forgets keys without idle connections, so a pool that saw many keys does not keep them all. */
  private sweepEmptyBuckets(): void {
    for (const [key, bucket] of this.buckets) if (bucket.count === 0) this.buckets.delete(key);
    this.emptyBuckets = 0;
  }
}
