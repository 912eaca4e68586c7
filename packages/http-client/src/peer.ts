/** PEM text or bytes: a certificate, a chain or a key. */
export type Pem = string | Buffer;

/** A client certificate presented to upstreams that require mutual TLS. */
export interface ClientCertificate {
  /** The certificate chain (PEM), leaf first. */
  cert: Pem;
  /** Its private key (PEM). */
  key: Pem;
  /** The passphrase of an encrypted key. */
  passphrase?: string;
}

/**
 * Time limits of one upstream, in milliseconds. `Infinity` switches a limit off. Every one
 * runs on the client's `@zp/timeout` wheel (10 ms ticks by default): a timeout fires up to a
 * tick late, never early.
 */
export interface PeerTimeouts {
  /** TCP connect, plus the TLS handshake for a TLS peer (default 10 000) → `ConnectTimeout` / `TLSHandshakeTimeout`. */
  connectMs?: number;
  /** No response byte for this long while the response head or body is awaited (default 60 000) → `ReadTimeout`. */
  readMs?: number;
  /** A request write that stays blocked this long (default 60 000) → `WriteTimeout`. */
  writeMs?: number;
  /** How long a pooled connection may stay idle (default: the pool's, 60 000). */
  idleMs?: number;
  /** The whole exchange, from the request head to the last response byte (default `Infinity`) → `TotalTimeout`. */
  totalMs?: number;
}

/**
 * An upstream server and how to reach it. Build one per upstream and keep it: the client
 * derives the pool key and the TLS settings once per `Peer` object (it caches them by
 * identity), so treat a peer as immutable once used.
 *
 * @example
 * ```ts
 * const peer: Peer = { address: "10.0.0.7", port: 443, tls: true, sni: "api.example.com", timeouts: { readMs: 5_000 } };
 * ```
 */
export interface Peer {
  /** Host name or IP address to connect to (`[::1]` is accepted). */
  address: string;
  /** TCP port. */
  port: number;
  /** Whether to speak TLS (default `false`). */
  tls?: boolean;
  /** Server name sent as SNI and checked against the certificate (default `address`; never sent for an IP literal; `false` sends none). */
  sni?: string | false;
  /** Verify the certificate chain (default `true`). */
  verifyCert?: boolean;
  /** Verify that the certificate names the server (default `true`). */
  verifyHostname?: boolean;
  /** ALPN protocols offered (default `["http/1.1"]`); this client speaks HTTP/1.x only. */
  alpn?: string[];
  /** Trusted CA certificates (default: Node's root store). */
  ca?: Pem | Pem[];
  /** A client certificate for mutual TLS. */
  clientCert?: ClientCertificate;
  /** A key of your own: connections of different groups are never shared. */
  group?: string;
  /** Time limits; unset ones take the client's defaults. */
  timeouts?: PeerTimeouts;
}
