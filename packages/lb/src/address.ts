import { isIPv4, isIPv6 } from "node:net";
import { canonicalIp } from "@zp/ketama";

/** What kind of address a backend has: an IPv4 or IPv6 literal, or a host name. */
export type AddressFamily = 4 | 6 | 0;

/** An address written canonically, with the key that orders it. */
export interface CanonicalAddress {
  /** The address: an IP as `std::net::IpAddr` displays it (what ketama hashes), or a lower-case name. */
  readonly address: string;
  /** 4, 6, or 0 for a host name. */
  readonly family: AddressFamily;
  /**
   * A string whose lexicographic order is the order of pingora's `SocketAddr` addresses:
   * IPv4 before IPv6, each by numeric value (fixed-width hex), host names after both.
   */
  readonly orderKey: string;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** The 32 hex digits of a valid IPv6 literal (which may end in a dotted IPv4 part). */
function ipv6Hex(address: string): string {
  let text = address;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    const octets = text.slice(lastColon + 1).split(".").map(Number);
    text = `${text.slice(0, lastColon + 1)}${hex((octets[0]! << 8) | octets[1]!, 1)}:${hex((octets[2]! << 8) | octets[3]!, 1)}`;
  }
  const groups = (part: string): string[] => (part === "" ? [] : part.split(":"));
  const gap = text.indexOf("::");
  let all: string[];
  if (gap < 0) {
    all = groups(text);
  } else {
    const left = groups(text.slice(0, gap));
    const right = groups(text.slice(gap + 2));
    all = [...left, ...new Array<string>(8 - left.length - right.length).fill("0"), ...right];
  }
  return all.map((g) => g.padStart(4, "0")).join("");
}

/**
 * Canonicalises a backend address: IP literals (IPv6 with or without brackets) are written
 * as Rust's `IpAddr` displays them, host names in lower case. Returns `undefined` for
 * anything else (scoped IPv6, spaces, empty labels...).
 */
export function canonicalAddress(input: string): CanonicalAddress | undefined {
  const bare = input.length > 1 && input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  if (isIPv4(bare)) {
    if (bare !== input) return undefined;
    const address = canonicalIp(bare);
    const orderKey = `4${address.split(".").map((o) => hex(Number(o), 2)).join("")}`;
    return { address, family: 4, orderKey };
  }
  if (isIPv6(bare)) {
    if (bare.includes("%")) return undefined;
    return { address: canonicalIp(bare), family: 6, orderKey: `6${ipv6Hex(bare.toLowerCase())}` };
  }
  if (bare !== input) return undefined;
  const name = input.toLowerCase();
  if (!HOST_NAME.test(name) || /^[0-9.]+$/.test(name)) return undefined;
  return { address: name, family: 0, orderKey: `n${name}` };
}
