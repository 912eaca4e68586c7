import { createHash } from "node:crypto";
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate, type SecureVersion } from "node:tls";
import { checkAlpnList } from "./alpn.js";
import type { PemInput } from "./certificate-source.js";
import { defaultSessionCache, type CachedTlsSession, type TlsSessionCache } from "./client-session-cache.js";
import { isIpLiteral } from "./hostname.js";
import { TlsConfigError } from "./tls-config-error.js";

/** An upstream TLS peer and how to talk to it. */
export interface TlsPeer {
  /** Host name or IP address to connect to. */
  host: string;
  /** TCP port. */
  port: number;
  /**
   * Server name sent as SNI and verified against the certificate. Default: `host`. SNI is
   * never sent for an IP literal (RFC 6066); `false` sends none even for a name.
   */
  sni?: string | false;
  /** ALPN protocols to offer, in order of preference (e.g. `["h2", "http/1.1"]`). */
  alpn?: string[];
  /** Trusted CA certificates (PEM). Default: Node's bundled root store. */
  ca?: PemInput | PemInput[];
  /** Client certificate chain (PEM), for upstreams that require mutual TLS. */
  cert?: PemInput;
  /** Private key of the client certificate. */
  key?: PemInput;
  /** Passphrase of an encrypted client key. */
  passphrase?: string;
  /** Verify the certificate chain (default true). `false` also skips the hostname check. */
  verifyCert?: boolean;
  /** Verify that the certificate names the server (default true). */
  verifyHostname?: boolean;
  /** Lowest TLS version (default `TLSv1.2`). */
  minVersion?: SecureVersion;
  /** Highest TLS version (default: Node's, TLSv1.3). */
  maxVersion?: SecureVersion;
  /** OpenSSL cipher list for TLS ≤ 1.2 (default: Node's). */
  ciphers?: string;
  /** Where sessions are kept for reuse (default {@link defaultSessionCache}); `false` never resumes. */
  sessionCache?: TlsSessionCache | false;
}

/** A peer resolved into `tls.connect` options plus where its sessions live. */
export interface ResolvedPeer {
  readonly options: ConnectionOptions;
  /** The name the certificate is checked against. */
  readonly expectedName: string;
  readonly cache: TlsSessionCache | undefined;
  readonly sessionKey: string;
  /** The session offered, if any. */
  readonly cached: CachedTlsSession | undefined;
}

/**
 * `tls.connect` options for an upstream: SNI (omitted for IP literals), certificate and
 * hostname verification on unless opted out, ALPN, client certificate, TLS ≥ 1.2, and the
 * cached session for this peer, if any.
 *
 * @example
 * ```ts
 * const socket = tls.connect(createTlsClientOptions({ host: "api.example.com", port: 443, alpn: ["h2", "http/1.1"] }));
 * ```
 */
export function createTlsClientOptions(peer: TlsPeer): ConnectionOptions {
  return resolvePeer(peer).options;
}

/** Resolves a peer; see {@link createTlsClientOptions}. */
export function resolvePeer(peer: TlsPeer): ResolvedPeer {
  if (typeof peer.host !== "string" || peer.host.length === 0) throw new TlsConfigError("peer.host must be a non-empty string");
  if (!Number.isInteger(peer.port) || peer.port < 1 || peer.port > 65535) throw new TlsConfigError(`peer.port must be 1..65535, got ${peer.port}`);
  if (peer.alpn !== undefined) checkAlpnList(peer.alpn, "alpn");
  if ((peer.cert === undefined) !== (peer.key === undefined)) throw new TlsConfigError("a client certificate needs both cert and key");

  const host = peer.host.startsWith("[") && peer.host.endsWith("]") ? peer.host.slice(1, -1) : peer.host;
  const expectedName = typeof peer.sni === "string" ? peer.sni : host;
  const servername = peer.sni === false || isIpLiteral(expectedName) ? undefined : expectedName;
  const verifyCert = peer.verifyCert ?? true;
  const verifyHostname = verifyCert && (peer.verifyHostname ?? true);

  const options: ConnectionOptions = {
    host,
    port: peer.port,
    minVersion: peer.minVersion ?? "TLSv1.2",
    rejectUnauthorized: verifyCert,
    checkServerIdentity: verifyHostname
      ? (_host: string, cert: PeerCertificate) => checkServerIdentity(expectedName, cert)
      : () => undefined,
  };
  if (servername !== undefined) options.servername = servername;
  if (peer.maxVersion !== undefined) options.maxVersion = peer.maxVersion;
  if (peer.ciphers !== undefined) options.ciphers = peer.ciphers;
  if (peer.alpn !== undefined) options.ALPNProtocols = peer.alpn;
  if (peer.ca !== undefined) options.ca = peer.ca;
  if (peer.cert !== undefined) {
    options.cert = peer.cert;
    options.key = peer.key!;
    if (peer.passphrase !== undefined) options.passphrase = peer.passphrase;
  }

  const cache = peer.sessionCache === false ? undefined : (peer.sessionCache ?? defaultSessionCache);
  // Everything that decides which certificate is presented and how it was checked.
  const checks = `${verifyCert ? "c" : ""}${verifyHostname ? "h" : ""}`;
  const sessionKey = `${host}:${peer.port}:${servername ?? "-"}|${expectedName}|${checks}|${clientIdentity(peer.cert)}`;
  const cached = cache?.get(sessionKey);
  if (cached !== undefined) options.session = cached.session;
  return { options, expectedName, cache, sessionKey, cached };
}

/** A short digest of the client certificate, so sessions never cross client identities. */
function clientIdentity(cert: PemInput | undefined): string {
  if (cert === undefined) return "";
  return createHash("sha256").update(cert).digest("base64url").slice(0, 22);
}
