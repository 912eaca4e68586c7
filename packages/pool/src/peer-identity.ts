/**
 * Everything that decides whether an open connection can carry a request meant for a
 * peer. Two requests may share a connection only when their identities produce the same
 * {@link poolKey}.
 *
 * TLS-only fields are ignored when `tls` is false, and `verifyCert`/`verifyHostname`
 * default to `true`, so equivalent identities build the same key.
 */
export interface PeerIdentity {
  /** Address connected to: an IP address or a host name (compared case-insensitively). */
  host: string;
  /** TCP port, an integer in 0..65535. */
  port: number;
  /** Whether the connection runs TLS. */
  tls: boolean;
  /** Server name sent in the TLS handshake (compared case-insensitively). TLS only. */
  sni?: string;
  /** Whether the server certificate chain is verified (default `true`). TLS only. */
  verifyCert?: boolean;
  /** Whether the certificate must match the host name (default `true`). TLS only. */
  verifyHostname?: boolean;
  /** Another name the certificate may match instead of the SNI. TLS only. */
  alternativeCn?: string;
  /** Identity of the client certificate presented, e.g. its SHA-256 fingerprint. TLS only. */
  clientCert?: string;
  /** ALPN protocols offered, in preference order (`"h2"` is the same as `["h2"]`). TLS only. */
  alpn?: string | readonly string[];
  /** Identity of the trust store used to verify the server, e.g. a hash of the CA bundle. TLS only. */
  ca?: string;
  /** Local address the connection was bound to, when not the system's choice. */
  localAddress?: string;
  /** Identity of a proxy the connection tunnels through (e.g. `http://10.0.0.1:3128`). */
  proxy?: string;
  /** A key of the caller's own: connections with different groups are never shared. */
  group?: string;
}
