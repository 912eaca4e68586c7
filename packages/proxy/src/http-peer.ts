import type { ClientCertificate, Peer, PeerTimeouts, Pem } from "@zp/http-client";

/**
 * How to reach an upstream, beside its address: TLS settings (`sni: ""` or `false` sends no
 * SNI), the pool group and time limits — @zp/http-client's `Peer` fields. Unset timeouts take
 * the proxy's defaults.
 */
export type HttpPeerOptions = Omit<Peer, "address" | "port">;

/** Splits `"host:port"`, `"[v6]:port"`; throws a RangeError when there is no valid port. */
function splitAddress(text: string): { address: string; port: number } {
  const colon = text.lastIndexOf(":");
  const close = text.lastIndexOf("]");
  if (colon <= 0 || colon < close) throw new RangeError(`expected "host:port", got ${JSON.stringify(text)}`);
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid port in ${JSON.stringify(text)}`);
  return { address: text.slice(0, colon), port };
}

/** `address:port` of any peer, IPv6 in brackets. */
export function endpointOf(peer: Peer): string {
  const a = peer.address;
  return a.includes(":") && !a.startsWith("[") ? `[${a}]:${peer.port}` : `${a}:${peer.port}`;
}

/** The `Host` value for a peer: its SNI name when set, else its address, with the port unless the scheme's default. */
export function authorityOf(peer: Peer): string {
  const host = typeof peer.sni === "string" && peer.sni.length > 0 ? peer.sni : peer.address;
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return peer.port === (peer.tls === true ? 443 : 80) ? bracketed : `${bracketed}:${peer.port}`;
}

/**
 * An upstream the proxy sends a request to: what `upstreamPeer` returns. It is a
 * `@zp/http-client` {@link Peer} (address, port, TLS, SNI, verification, ALPN, client
 * certificate, pool group, timeouts) with a constructor in Pingora's style.
 *
 * Build one per upstream and keep it: the client derives its pool key and TLS settings
 * once per peer object, so a peer is immutable once made.
 *
 * @example
 * ```ts
 * const plain = new HttpPeer("127.0.0.1:3000", { tls: false, sni: "" });
 * const secure = new HttpPeer("10.0.0.7:443", { tls: true, sni: "api.example.com", timeouts: { readMs: 5_000 } });
 * ```
 */
export class HttpPeer implements Peer {
  /** Host name or IP address (IPv6 in brackets is accepted). */
  readonly address: string;
  /** TCP port. */
  readonly port: number;
  /** Whether TLS is spoken. */
  readonly tls: boolean;
  /** SNI (`false`: none; undefined: the address). */
  readonly sni: string | false | undefined;
  /** Certificate chain verification. */
  readonly verifyCert: boolean | undefined;
  /** Certificate name verification. */
  readonly verifyHostname: boolean | undefined;
  /** ALPN protocols offered. */
  readonly alpn: string[] | undefined;
  /** Trusted CAs. */
  readonly ca: Pem | Pem[] | undefined;
  /** Client certificate for mutual TLS. */
  readonly clientCert: ClientCertificate | undefined;
  /** Pool group. */
  readonly group: string | undefined;
  /** Time limits. */
  readonly timeouts: PeerTimeouts | undefined;

  /**
   * @param address `"host:port"` (`"[::1]:8080"` for IPv6), or the host alone with `port`
   *   given in the second form.
   * @param options TLS, pool group and timeouts.
   * @throws RangeError for an address without a valid port.
   */
  constructor(address: string | { address: string; port: number }, options: HttpPeerOptions = {}) {
    const where = typeof address === "string" ? splitAddress(address) : address;
    if (typeof where.address !== "string" || where.address.length === 0) throw new RangeError("peer address must be a non-empty string");
    if (!Number.isInteger(where.port) || where.port < 1 || where.port > 65535) throw new RangeError(`invalid peer port ${where.port}`);
    this.address = where.address;
    this.port = where.port;
    this.tls = options.tls === true;
    this.sni = options.sni === "" ? false : options.sni;
    this.verifyCert = options.verifyCert;
    this.verifyHostname = options.verifyHostname;
    this.alpn = options.alpn;
    this.ca = options.ca;
    this.clientCert = options.clientCert;
    this.group = options.group;
    this.timeouts = options.timeouts;
  }

  /** `address:port`, e.g. `127.0.0.1:3000` or `[::1]:443`. */
  get endpoint(): string {
    return endpointOf(this);
  }

  /**
   * The value a `Host` header would carry for this peer: the SNI name when set, else the
   * address, with the port unless it is the scheme's default.
   */
  get authority(): string {
    return authorityOf(this);
  }

  /** `http(s)://address:port`, for logs. */
  toString(): string {
    return `${this.tls ? "https" : "http"}://${this.endpoint}`;
  }
}
