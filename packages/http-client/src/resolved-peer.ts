import { createHash } from "node:crypto";
import { poolKey } from "@zp/pool";
import type { TlsPeer } from "@zp/tls";
import type { Pem, Peer } from "./peer.js";
import { resolveTimeouts, type ResolvedTimeouts } from "./timeouts.js";

/** What the client derives from a {@link Peer} once: where to connect, its pool key, TLS settings, limits. */
export interface ResolvedPeer {
  /** The host without IPv6 brackets. */
  readonly host: string;
  readonly port: number;
  /** The reuse key in the connection pool. */
  readonly key: string;
  readonly timeouts: ResolvedTimeouts;
  /** Settings for `connectTls`, or undefined for plain TCP. */
  readonly tls: TlsPeer | undefined;
}

const cache = new WeakMap<Peer, WeakMap<ResolvedTimeouts, ResolvedPeer>>();

function digest(parts: Pem | Pem[] | undefined): string | undefined {
  if (parts === undefined) return undefined;
  const hash = createHash("sha256");
  for (const part of Array.isArray(parts) ? parts : [parts]) hash.update(part).update("\0");
  return hash.digest("base64url").slice(0, 22);
}

// The last peer resolved: it holds one peer (and its result) past its use, at most.
let lastPeer: Peer | undefined;
let lastDefaults: ResolvedTimeouts | undefined;
let lastResolved: ResolvedPeer | undefined;

/**
 * Resolves a peer against the client's default timeouts, cached by the identity of both
 * (a peer is read once; later changes to the object are not seen).
 */
export function resolvePeer(peer: Peer, defaults: ResolvedTimeouts): ResolvedPeer {
  // the same peer many times in a row (one backend, or a burst to one) skips the two lookups
  if (peer === lastPeer && defaults === lastDefaults) return lastResolved!;
  const resolved = lookup(peer, defaults);
  lastPeer = peer;
  lastDefaults = defaults;
  lastResolved = resolved;
  return resolved;
}

function lookup(peer: Peer, defaults: ResolvedTimeouts): ResolvedPeer {
  let byDefaults = cache.get(peer);
  let resolved = byDefaults?.get(defaults);
  if (resolved !== undefined) return resolved;
  resolved = build(peer, defaults);
  if (byDefaults === undefined) cache.set(peer, (byDefaults = new WeakMap()));
  byDefaults.set(defaults, resolved);
  return resolved;
}

function build(peer: Peer, defaults: ResolvedTimeouts): ResolvedPeer {
  const address = peer.address;
  if (typeof address !== "string" || address.length === 0) throw new TypeError("peer.address must be a non-empty string");
  if (!Number.isInteger(peer.port) || peer.port < 1 || peer.port > 65535) throw new RangeError(`peer.port must be 1..65535, got ${peer.port}`);
  const host = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const timeouts = resolveTimeouts(peer.timeouts, defaults);
  if (peer.tls !== true) {
    return { host, port: peer.port, timeouts, tls: undefined, key: poolKey({ host, port: peer.port, tls: false, group: peer.group }) };
  }
  const alpn = peer.alpn ?? ["http/1.1"];
  const tls: TlsPeer = { host, port: peer.port, alpn };
  if (peer.sni !== undefined) tls.sni = peer.sni;
  if (peer.verifyCert !== undefined) tls.verifyCert = peer.verifyCert;
  if (peer.verifyHostname !== undefined) tls.verifyHostname = peer.verifyHostname;
  if (peer.ca !== undefined) tls.ca = peer.ca;
  if (peer.clientCert !== undefined) {
    tls.cert = peer.clientCert.cert;
    tls.key = peer.clientCert.key;
    if (peer.clientCert.passphrase !== undefined) tls.passphrase = peer.clientCert.passphrase;
  }
  const key = poolKey({
    host,
    port: peer.port,
    tls: true,
    sni: peer.sni === false ? "" : (peer.sni ?? host),
    verifyCert: peer.verifyCert,
    verifyHostname: peer.verifyHostname,
    alpn,
    ca: digest(peer.ca),
    clientCert: digest(peer.clientCert?.cert),
    group: peer.group,
  });
  return { host, port: peer.port, timeouts, tls, key };
}
