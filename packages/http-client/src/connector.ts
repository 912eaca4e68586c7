import type { H1ParserOptions } from "@zp/h1-parser";
import { ConnectionPool, type EvictionReason, type PoolLimits, type PoolStats, type PutMeta } from "@zp/pool";
import { defaultWheel, type TimerWheel } from "@zp/timeout";
import { ClientConnection, type ConnectionOwner, type ConnectionSetup } from "./client-connection.js";
import { clientConnectionAdapter, heldClientConnectionAdapter } from "./connection-adapter.js";
import { openSocket } from "./open-socket.js";
import type { Peer, PeerTimeouts } from "./peer.js";
import { resolvePeer, type ResolvedPeer } from "./resolved-peer.js";
import { resolveTimeouts, type ResolvedTimeouts } from "./timeouts.js";

/** Options of a {@link Connector} (and of `connect`). */
export interface ConnectorOptions {
  /** Limits of the connection pool (`idleTimeoutMs` comes from `timeouts.idleMs`). */
  pool?: Omit<PoolLimits, "idleTimeoutMs">;
  /** Default time limits of every peer (a peer's own `timeouts` win). */
  timeouts?: PeerTimeouts;
  /** The timer wheel for connect, read, write and total timeouts (default `defaultWheel`, 10 ms ticks). */
  wheel?: TimerWheel;
  /** Largest response head in bytes (default 65 536) → `InvalidHTTPHeader`. */
  maxResponseHeaderBytes?: number;
  /** Most response header fields (default 256) → `InvalidHTTPHeader`. */
  maxResponseHeaders?: number;
  /** Largest response body in bytes (default `Infinity`) → `LimitExceeded`. */
  maxBodySize?: number;
  /**
   * Safety margin below a server's `Keep-Alive: timeout=N`: a connection is kept idle at most
   * `N s − min(margin, N s / 4)` (default 1000 ms).
   */
  keepAliveMarginMs?: number;
  /**
   * Whether idle pooled connections let the process exit, as `node:http`'s agent does (default
   * true: their sockets are unref'd while idle). A server that closes its connector when it
   * stops (as `@zp/proxy` does) sets false and saves two native calls per request.
   */
  unrefIdle?: boolean;
  /** Called after the pool closed an idle connection (for logs and metrics). */
  onEvict?: (conn: ClientConnection, key: string, reason: EvictionReason) => void;
}

/** Settings shared by every connection a connector makes. */
interface Shared {
  readonly wheel: TimerWheel;
  readonly parserOptions: H1ParserOptions;
  readonly maxBodySize: number;
  readonly keepAliveMarginMs: number;
  readonly timeouts: ResolvedTimeouts;
}

function shared(options: ConnectorOptions): Shared {
  const parserOptions: H1ParserOptions = {};
  if (options.maxResponseHeaderBytes !== undefined) parserOptions.maxHeaderBytes = options.maxResponseHeaderBytes;
  if (options.maxResponseHeaders !== undefined) parserOptions.maxHeaders = options.maxResponseHeaders;
  const maxBodySize = options.maxBodySize ?? Number.POSITIVE_INFINITY;
  if (!(maxBodySize >= 0)) throw new RangeError(`maxBodySize must be >= 0, got ${maxBodySize}`);
  const keepAliveMarginMs = options.keepAliveMarginMs ?? 1000;
  if (!(keepAliveMarginMs >= 0)) throw new RangeError(`keepAliveMarginMs must be >= 0, got ${keepAliveMarginMs}`);
  return {
    wheel: options.wheel ?? defaultWheel,
    parserOptions,
    maxBodySize,
    keepAliveMarginMs,
    timeouts: resolveTimeouts(options.timeouts),
  };
}

async function open(peer: ResolvedPeer, s: Shared, owner: ConnectionOwner | undefined): Promise<ClientConnection> {
  const socket = await openSocket(peer, s.wheel);
  const setup: ConnectionSetup = {
    socket,
    key: peer.key,
    timeouts: peer.timeouts,
    wheel: s.wheel,
    owner,
    parserOptions: s.parserOptions,
    maxBodySize: s.maxBodySize,
    keepAliveMarginMs: s.keepAliveMarginMs,
  };
  return new ClientConnection(setup);
}

/** Reused for every `put` with a timeout of its own (the pool reads it synchronously). */
const putMeta: PutMeta = { idleTimeoutMs: 0 };

/**
 * Makes connections to peers and keeps the idle ones in a `@zp/pool` pool, keyed by
 * everything that decides whether a connection fits a peer (address, port, TLS settings,
 * group). `connect` takes an idle one when there is one (`conn.reused === true`) and opens a
 * new one otherwise; `conn.release()` brings it back.
 *
 * @example
 * ```ts
 * const connector = new Connector({ timeouts: { connectMs: 2_000, readMs: 10_000 } });
 * const conn = await connector.connect({ address: "127.0.0.1", port: 8080 });
 * conn.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "localhost"));
 * const head = await conn.readResponseHeader();
 * for await (const chunk of conn.body()) process.stdout.write(chunk);
 * conn.release();
 * ```
 */
export class Connector implements ConnectionOwner {
  /** The pool of idle connections. */
  readonly pool: ConnectionPool<ClientConnection>;
  private readonly shared: Shared;

  /** @param options See {@link ConnectorOptions}. */
  constructor(options: ConnectorOptions = {}) {
    this.shared = shared(options);
    const poolOptions = { ...options.pool, idleTimeoutMs: this.shared.timeouts.idleMs, adapter: options.unrefIdle === false ? heldClientConnectionAdapter : clientConnectionAdapter, wheel: this.shared.wheel };
    this.pool = new ConnectionPool<ClientConnection>(options.onEvict === undefined ? poolOptions : { ...poolOptions, onEvict: options.onEvict });
  }

  /** The default time limits of this connector's peers. */
  get timeouts(): ResolvedTimeouts {
    return this.shared.timeouts;
  }

  /** @internal The resolved form of a peer (cached per peer object). */
  resolve(peer: Peer): ResolvedPeer {
    return resolvePeer(peer, this.shared.timeouts);
  }

  /** An idle pooled connection for `peer` (`reused: true`), or undefined. Synchronous. */
  idle(peer: Peer): ClientConnection | undefined {
    return this.idleFor(this.resolve(peer));
  }

  /** @internal {@link idle} for a resolved peer. */
  idleFor(peer: ResolvedPeer): ClientConnection | undefined {
    const conn = this.pool.get(peer.key);
    if (conn !== undefined) {
      conn.reused = true;
      conn.useTimeouts(peer.timeouts);
    }
    return conn;
  }

  /** An idle pooled connection for `peer` if there is one, else a new one. */
  connect(peer: Peer): Promise<ClientConnection> {
    const resolved = this.resolve(peer);
    const conn = this.idleFor(resolved);
    return conn !== undefined ? Promise.resolve(conn) : open(resolved, this.shared, this);
  }

  /** A new connection for `peer` (never from the pool); it goes to the pool when released. */
  open(peer: Peer): Promise<ClientConnection> {
    return open(this.resolve(peer), this.shared, this);
  }

  /** @internal {@link open} for a resolved peer. */
  openFor(peer: ResolvedPeer): Promise<ClientConnection> {
    return open(peer, this.shared, this);
  }

  /** @internal Called by `release()` with a connection fit for reuse. */
  takeBack(conn: ClientConnection, idleMs: number): void {
    if (idleMs === this.pool.idleTimeoutMs) {
      this.pool.put(conn.key, conn);
    } else {
      putMeta.idleTimeoutMs = idleMs;
      this.pool.put(conn.key, conn, putMeta);
    }
  }

  /** The pool's counters (hits, misses, evictions, ...). */
  stats(): PoolStats {
    return this.pool.stats();
  }

  /** Closes every idle connection and the pool; connections in use are closed when released. */
  close(): void {
    this.pool.close();
  }
}

/**
 * Opens one connection to `peer` outside any pool: `release()` closes it. For pooled
 * connections use a {@link Connector}.
 */
export function connect(peer: Peer, options: ConnectorOptions = {}): Promise<ClientConnection> {
  const s = shared(options);
  return open(resolvePeer(peer, s.timeouts), s, undefined);
}
