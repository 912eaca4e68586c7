import type { EventEmitter } from "node:events";
import { BoundedTtlMap } from "./bounded-ttl-map.js";

/** TLS 1.3 in OpenSSL's version numbering. */
const TLS1_3_VERSION = 0x0304;

/** Options for {@link ServerSessionCache}. */
export interface ServerSessionCacheOptions {
  /** Most sessions kept (default 20 000). */
  maxEntries?: number;
  /** Lifetime of a session in ms (default 300 000). */
  ttlMs?: number;
}

type NewSessionListener = (id: Buffer, data: Buffer, done: () => void) => void;
type ResumeSessionListener = (id: Buffer, done: (err: Error | null, data: Buffer | null) => void) => void;

/**
 * The server's TLS 1.2 session-ID cache: stores what `newSession` hands out and gives it back
 * on `resumeSession`, in a bounded LRU-ish map with a TTL. TLS 1.3 sessions are not stored:
 * Node's resumption events look them up by the ClientHello's legacy session ID, which TLS 1.3
 * clients fill with random bytes, so they resume through tickets only.
 */
export class ServerSessionCache {
  readonly #sessions: BoundedTtlMap<string, Buffer>;

  constructor(options: ServerSessionCacheOptions = {}) {
    this.#sessions = new BoundedTtlMap({ maxEntries: options.maxEntries ?? 20_000, ttlMs: options.ttlMs ?? 300_000 });
  }

  /** Listens to `newSession`/`resumeSession` on a `tls.Server` (or the event hub of raw sockets); returns a function that stops. */
  attach(emitter: EventEmitter): () => void {
    const onNew: NewSessionListener = (id, data, done) => {
      if (sessionProtocolVersion(data) !== TLS1_3_VERSION) this.#sessions.set(id.toString("latin1"), data);
      done();
    };
    const onResume: ResumeSessionListener = (id, done) => {
      done(null, this.#sessions.get(id.toString("latin1")) ?? null);
    };
    emitter.on("newSession", onNew);
    emitter.on("resumeSession", onResume);
    return () => {
      emitter.off("newSession", onNew);
      emitter.off("resumeSession", onResume);
    };
  }

  /** Sessions held. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Forgets every session (e.g. after a certificate change). */
  clear(): void {
    this.#sessions.clear();
  }
}

/**
 * The protocol version inside a serialized OpenSSL session (DER `SSL_SESSION_ASN1`:
 * `SEQUENCE { INTEGER version, INTEGER ssl_version, ... }`), or `undefined` if it cannot tell.
 */
export function sessionProtocolVersion(der: Uint8Array): number | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  let at = 1;
  const first = der[at++]!;
  if (first & 0x80) at += first & 0x7f; // long-form length
  const version = readInteger(der, at);
  if (version === undefined) return undefined;
  return readInteger(der, version.next)?.value;
}

function readInteger(der: Uint8Array, at: number): { value: number; next: number } | undefined {
  if (at + 2 > der.length || der[at] !== 0x02) return undefined;
  const length = der[at + 1]!;
  if (length === 0 || length > 4 || at + 2 + length > der.length) return undefined;
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + der[at + 2 + i]!;
  return { value, next: at + 2 + length };
}
