import { canonicalAddress, type AddressFamily } from "./address.js";
import { Fnv64 } from "./fnv64.js";
import { LbError, LbErrorType } from "./lb-error.js";

/** The largest backend weight (the range of an SRV record's weight). */
export const MAX_WEIGHT = 65535;

/** The fields a backend is made from. */
export interface BackendInit<E = unknown> {
  /** An IPv4 or IPv6 literal (brackets optional) or a host name. */
  address: string;
  /** TCP port, 1..65535. */
  port: number;
  /** Relative weight, an integer 1..{@link MAX_WEIGHT} (default 1). */
  weight?: number;
  /** Arbitrary user data; ignored for identity, ordering and hashing. */
  ext?: E;
}

/** Anything a backend can be built from: a {@link Backend}, its fields, or `"ip:port"` / `"[ipv6]:port"` / `"host:port"`. */
export type BackendLike<E = unknown> = Backend<E> | BackendInit<E> | string;

const hasher = new Fnv64();

/**
 * A server to proxy or connect to: an address, a port, a weight and opaque user data.
 *
 * Identity is the address, port and weight, exactly as in pingora, where a `Backend` derives
 * `Hash`/`Eq`/`Ord` from its socket address and weight and ignores `ext`. Two backends with
 * the same identity have the same {@link Backend.hashKey}. Backends are immutable; a
 * changed weight is a new backend ({@link Backend.withWeight}).
 *
 * @example
 * ```ts
 * const b = Backend.parse("[2001:DB8::1]:443", 5, { zone: "eu" });
 * b.address; // "2001:db8::1"
 * b.endpoint; // "[2001:db8::1]:443"
 * ```
 */
export class Backend<E = unknown> {
  /** The address, canonical: IPs as Rust's `IpAddr` displays them, host names lower-case. */
  readonly address: string;
  /** TCP port. */
  readonly port: number;
  /** Relative weight. */
  readonly weight: number;
  /** User data, carried along untouched. */
  readonly ext: E | undefined;
  /** 4 or 6 for an IP literal, 0 for a host name. */
  readonly family: AddressFamily;
  /** `address:port`, IPv6 in brackets: the key of per-endpoint state (health, in-flight counts). */
  readonly endpoint: string;
  /**
   * Stable identity hash of address, port and weight (16 hex digits of FNV-1a 64 over the
   * canonical address bytes, port and weight): equal for equal backends in every process.
   */
  readonly hashKey: string;
  /** @internal Sort key: family and fixed-width address; see {@link compareBackends}. */
  readonly orderKey: string;

  /**
   * @throws {@link LbError} `ZP_LB_INVALID_BACKEND` for a bad address, port or weight.
   */
  constructor(init: BackendInit<E>) {
    const canonical = typeof init.address === "string" ? canonicalAddress(init.address) : undefined;
    if (canonical === undefined) {
      throw new LbError(LbErrorType.InvalidBackend, `not an IP address or host name: ${JSON.stringify(init.address)}`);
    }
    const port = init.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new LbError(LbErrorType.InvalidBackend, `port must be an integer 1..65535, got ${String(port)}`);
    }
    const weight = init.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
      throw new LbError(LbErrorType.InvalidBackend, `weight must be an integer 1..${MAX_WEIGHT}, got ${String(weight)}`);
    }
    this.address = canonical.address;
    this.family = canonical.family;
    this.orderKey = canonical.orderKey;
    this.port = port;
    this.weight = weight;
    this.ext = init.ext;
    this.endpoint = canonical.family === 6 ? `[${canonical.address}]:${port}` : `${canonical.address}:${port}`;
    this.hashKey = hasher.reset().string(canonical.orderKey).byte(0).string(String(port)).byte(0).string(String(weight)).hex();
    Object.freeze(this);
  }

  /**
   * Parses `"1.2.3.4:80"`, `"[::1]:8080"` or `"host:443"`.
   * @throws {@link LbError} `ZP_LB_INVALID_BACKEND` when it is none of these.
   */
  static parse<E = unknown>(hostPort: string, weight = 1, ext?: E): Backend<E> {
    const colon = typeof hostPort === "string" ? hostPort.lastIndexOf(":") : -1;
    const host = colon > 0 ? hostPort.slice(0, colon) : "";
    const portText = colon > 0 ? hostPort.slice(colon + 1) : "";
    const bracketed = host.startsWith("[") && host.endsWith("]");
    if (!/^\d{1,5}$/.test(portText) || (!bracketed && host.includes(":"))) {
      throw new LbError(LbErrorType.InvalidBackend, `expected "ip:port", "[ipv6]:port" or "host:port", got ${JSON.stringify(hostPort)}`);
    }
    return new Backend<E>(ext === undefined ? { address: host, port: Number(portText), weight } : { address: host, port: Number(portText), weight, ext });
  }

  /** Builds a backend from anything {@link BackendLike}; a `Backend` is returned as it is. */
  static from<E = unknown>(like: BackendLike<E>): Backend<E> {
    if (like instanceof Backend) return like;
    if (typeof like === "string") return Backend.parse<E>(like);
    return new Backend<E>(like);
  }

  /** The same backend with another weight (a different identity), keeping `ext`. */
  withWeight(weight: number): Backend<E> {
    return new Backend<E>({ address: this.address, port: this.port, weight, ext: this.ext as E });
  }

  /** Whether `other` has the same identity (address, port and weight). */
  equals(other: Backend<unknown>): boolean {
    return this.hashKey === other.hashKey && this.orderKey === other.orderKey && this.port === other.port && this.weight === other.weight;
  }

  /** `address:port` (IPv6 in brackets), as pingora displays a backend's address. */
  toString(): string {
    return this.endpoint;
  }
}

/**
 * Orders backends as pingora's `BTreeSet<Backend>` does: by socket address (IPv4 before
 * IPv6, each by numeric IP, then port; host names last, by name), then by weight. The
 * selection vectors (FNV, round robin) depend on this order.
 */
export function compareBackends(a: Backend<unknown>, b: Backend<unknown>): number {
  if (a.orderKey !== b.orderKey) return a.orderKey < b.orderKey ? -1 : 1;
  if (a.port !== b.port) return a.port - b.port;
  return a.weight - b.weight;
}
