import { canonicalIp } from "./canonical-ip.js";
import { KetamaError } from "./ketama-error.js";

/** A server on the ring: its IP address, port and relative weight. */
export interface Bucket {
  /**
   * The server's IP address as text, IPv6 without brackets. It is hashed exactly as written
   * (like nginx hashes the `server` line); {@link parseBucket} writes it in the canonical form
   * pingora-ketama uses.
   */
  readonly address: string;
  /** The server's port, 0 to 65535. */
  readonly port: number;
  /** Relative share of keys, a positive integer; each unit puts 160 points on the ring. */
  readonly weight: number;
}

/**
 * Builds a bucket from `"ip:port"` or `"[ipv6]:port"`, writing the IP in canonical form so
 * the ring matches pingora-ketama (which parses the address) and nginx for canonical input.
 * @param hostPort `"10.0.0.1:443"` or `"[::1]:8080"`.
 * @param weight Relative weight, a positive integer (default 1).
 * @throws {@link KetamaError} `ZP_KETAMA_INVALID_ADDRESS` for a malformed address or port,
 *   `ZP_KETAMA_INVALID_BUCKET` for a bad weight.
 */
export function parseBucket(hostPort: string, weight = 1): Bucket {
  const colon = hostPort.lastIndexOf(":");
  const host = colon > 0 ? hostPort.slice(0, colon) : "";
  const portText = colon > 0 ? hostPort.slice(colon + 1) : "";
  const bracketed = host.startsWith("[") && host.endsWith("]");
  if (!/^\d{1,5}$/.test(portText) || (!bracketed && host.includes(":"))) {
    throw new KetamaError("ZP_KETAMA_INVALID_ADDRESS", `expected "ip:port" or "[ipv6]:port": ${JSON.stringify(hostPort)}`);
  }
  const address = canonicalIp(host);
  if (bracketed === !address.includes(":")) {
    throw new KetamaError("ZP_KETAMA_INVALID_ADDRESS", `IPv6 needs brackets, IPv4 must not have them: ${JSON.stringify(hostPort)}`);
  }
  const bucket: Bucket = { address, port: Number(portText), weight };
  validateBucket(bucket);
  return bucket;
}

/**
 * Builds buckets from `"ip:port"` / `"[ipv6]:port"` strings, all with the same weight.
 * @param hostPorts The servers, in ring order (earlier servers win hash collisions).
 * @param weight Relative weight of each, a positive integer (default 1).
 */
export function parseBuckets(hostPorts: readonly string[], weight = 1): Bucket[] {
  return hostPorts.map((hp) => parseBucket(hp, weight));
}

/**
 * Checks a bucket's fields.
 * @throws {@link KetamaError} `ZP_KETAMA_INVALID_BUCKET` when one is out of range.
 * @internal
 */
export function validateBucket(bucket: Bucket): void {
  const { address, port, weight } = bucket;
  if (typeof address !== "string" || address.length === 0) {
    throw new KetamaError("ZP_KETAMA_INVALID_BUCKET", "bucket address must be a non-empty string");
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new KetamaError("ZP_KETAMA_INVALID_BUCKET", `bucket port must be an integer 0..65535, got ${port}`);
  }
  if (!Number.isInteger(weight) || weight < 1) {
    throw new KetamaError("ZP_KETAMA_INVALID_BUCKET", `bucket weight must be a positive integer, got ${weight}`);
  }
}
