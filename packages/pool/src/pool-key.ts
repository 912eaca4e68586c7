import type { PeerIdentity } from "./peer-identity.js";
import { PoolError } from "./pool-error.js";

/** Appends an optional string field as `<tag><length>:<value>`, or nothing when absent. */
function field(tag: string, value: string | undefined): string {
  return value === undefined ? "" : `${tag}${value.length}:${value}`;
}

function alpnField(alpn: string | readonly string[] | undefined): string {
  // No protocols offered is the same as not setting ALPN.
  if (alpn === undefined || alpn.length === 0) return "";
  if (typeof alpn === "string") return `a1|${alpn.length}:${alpn}`;
  let text = `a${alpn.length}|`;
  for (const protocol of alpn) text += `${protocol.length}:${protocol}`;
  return text;
}

function invalid(what: string, got: unknown): never {
  throw new PoolError("ZP_POOL_INVALID_PEER", `peer ${what}, got ${String(got)}`);
}

/**
 * Builds the reuse key of a peer: a compact string that is equal for two identities
 * exactly when a connection made for one may carry requests for the other.
 *
 * Included, in this order: `tls`, `verifyCert`, `verifyHostname` (as one flag character),
 * `port`, `host`, then each present optional field: `sni`, `alternativeCn`, `clientCert`,
 * `alpn`, `ca` (TLS only), `localAddress`, `proxy`, `group`. Host and SNI are
 * lower-cased. Every string is length-prefixed and each optional field has its own tag,
 * so the encoding is injective: distinct identities never collide, whatever characters
 * their fields hold.
 *
 * Building a key allocates a string; a caller with a fixed set of upstreams should build
 * each key once and keep it.
 *
 * @example
 * ```ts
 * poolKey({ host: "10.0.0.1", port: 443, tls: true, sni: "api.example.com", alpn: ["h2", "http/1.1"] });
 * // "S443|8:10.0.0.1s15:api.example.coma2|2:h28:http/1.1"
 * ```
 */
export function poolKey(peer: PeerIdentity): string {
  const { host, port } = peer;
  if (typeof host !== "string") invalid("host must be a string", host);
  if (!Number.isInteger(port) || port < 0 || port > 65535) invalid("port must be an integer in 0..65535", port);
  // Lower-casing may change the length (e.g. "İ"), so measure the result.
  const name = host.toLowerCase();
  let key: string;
  if (peer.tls === true) {
    // One character for the three booleans: S (verify both) .. V (verify neither).
    const flags = (peer.verifyCert === false ? 1 : 0) | (peer.verifyHostname === false ? 2 : 0);
    key = `${"STUV"[flags]!}${port}|${name.length}:${name}`;
    key += field("s", peer.sni?.toLowerCase());
    key += field("n", peer.alternativeCn);
    key += field("c", peer.clientCert);
    key += alpnField(peer.alpn);
    key += field("k", peer.ca);
  } else {
    key = `P${port}|${name.length}:${name}`;
  }
  key += field("l", peer.localAddress);
  key += field("x", peer.proxy);
  key += field("g", peer.group);
  return key;
}
