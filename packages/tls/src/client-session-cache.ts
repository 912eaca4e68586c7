import type { X509Certificate } from "node:crypto";
import { BoundedTtlMap } from "./bounded-ttl-map.js";

/** A cached upstream session and the certificate verified when it was established. */
export interface CachedTlsSession {
  /** The serialized session, for `tls.connect({ session })`. */
  readonly session: Buffer;
  /** The upstream's certificate; a resumed handshake does not carry it again. */
  readonly certificate: X509Certificate | undefined;
}

/** Options for {@link TlsSessionCache}. */
export interface TlsSessionCacheOptions {
  /** Most sessions kept (default 1000; the least recently used is dropped). */
  maxEntries?: number;
  /** How long a session is offered again, in ms (default 300 000, Node's server default). */
  ttlMs?: number;
}

/**
 * Sessions of upstream TLS connections (`'session'` events: TLS 1.3 tickets or TLS 1.2
 * session state), keyed by {@link connectTls} as `host:port:sni` plus the verification
 * settings and client certificate, and offered as `session` on the next connection to the
 * same peer. Bounded, LRU-ish, with a TTL.
 */
export class TlsSessionCache {
  readonly #sessions: BoundedTtlMap<string, CachedTlsSession>;

  constructor(options: TlsSessionCacheOptions = {}) {
    this.#sessions = new BoundedTtlMap({ maxEntries: options.maxEntries ?? 1000, ttlMs: options.ttlMs ?? 300_000 });
  }

  /** The latest session for `key`, if still fresh. */
  get(key: string): CachedTlsSession | undefined {
    return this.#sessions.get(key);
  }

  /** Remembers the latest session for `key` (only ever from a verified connection). */
  set(key: string, session: Buffer, certificate?: X509Certificate): void {
    this.#sessions.set(key, { session, certificate });
  }

  /** Forgets `key` (done when a handshake offering its session fails). */
  delete(key: string): boolean {
    return this.#sessions.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.#sessions.clear();
  }

  /** Sessions held. */
  get size(): number {
    return this.#sessions.size;
  }
}

/** The cache {@link connectTls} uses unless a peer names another one (or `false`). */
export const defaultSessionCache = new TlsSessionCache();
