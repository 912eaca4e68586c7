import type { SecureVersion } from "node:tls";
import type { CertificateSource, PemInput } from "./certificate-source.js";
import type { WatchOptions } from "./file-watcher.js";

/** Client certificate verification (mutual TLS). */
export interface ClientAuthOptions {
  /** CA certificates (PEM) that client certificates must chain to. Either this or `caFile`. */
  ca?: PemInput | PemInput[];
  /** Path of a PEM bundle of CA certificates (reloaded and watched like certificates). */
  caFile?: string;
  /**
   * Reject clients without a valid certificate (default true). With `false` a certificate is
   * requested but optional; check `socket.authorized` / {@link verifiedPeerCertificate}.
   */
  required?: boolean;
}

/** Session ticket settings (stateless resumption, TLS 1.2 and 1.3). */
export interface SessionTicketOptions {
  /** Replace the encrypting key this often (default 1 hour); `0` never rotates on a timer. */
  rotateEveryMs?: number;
  /**
   * How many retired keys still decrypt tickets (default 1). This holds for connections taken
   * through `accept()`; raw `wrap()` sockets and attached `tls.Server`s only know the current key.
   */
  keep?: number;
  /** The first key (48 bytes), e.g. shared by the workers of one host. Default: random. */
  initialKey?: Buffer;
}

/** Server-side session cache for TLS 1.2 session-ID resumption. */
export interface SessionCacheOptions {
  /** Most sessions kept (default 20 000; the least recently used is dropped). */
  maxEntries?: number;
  /** How long a session stays resumable, in ms (default: `sessionTimeoutSec`). */
  ttlMs?: number;
}

/** Options of {@link createTlsServerContext}. */
export interface TlsServerOptions {
  /** The certificates, chosen by SNI. At least one. */
  certificates: CertificateSource[];
  /**
   * ALPN protocols in the server's order of preference (the first one the client also offers
   * wins). Default `["h2", "http/1.1"]`; `false` disables ALPN.
   */
  alpn?: string[] | false;
  /** Lowest TLS version accepted (default `TLSv1.2`). */
  minVersion?: SecureVersion;
  /** Highest TLS version accepted (default: Node's, TLSv1.3). */
  maxVersion?: SecureVersion;
  /** OpenSSL cipher list for TLS ≤ 1.2 (default: Node's defaults). */
  ciphers?: string;
  /** Prefer the server's cipher order (default true). */
  honorCipherOrder?: boolean;
  /** ECDH curves, e.g. `X25519:P-256` (default: Node's). */
  ecdhCurve?: string;
  /** Client certificate verification; off when absent. */
  clientAuth?: ClientAuthOptions;
  /** Session tickets; `false` turns them off (TLS 1.3 then never resumes). */
  sessionTickets?: SessionTicketOptions | false;
  /** TLS 1.2 session-ID cache; `false` turns it off. */
  sessionCache?: SessionCacheOptions | false;
  /** Lifetime of sessions and tickets in seconds (default 300, Node's). */
  sessionTimeoutSec?: number;
  /**
   * Session ID context, up to 32 bytes. Sessions only resume within the same context.
   * Default: derived from the certificate and client-auth configuration.
   */
  sessionIdContext?: string;
  /** Reload certificate (and CA) files when they change: `true` or watch settings. Default off. */
  watch?: boolean | WatchOptions;
  /** Time allowed for a handshake by `accept()` and attached servers, in ms (default 10 000). */
  handshakeTimeoutMs?: number;
}
