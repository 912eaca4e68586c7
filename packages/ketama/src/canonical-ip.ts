import { isIPv4, isIPv6 } from "node:net";
import { KetamaError } from "./ketama-error.js";

/** Parses the eight 16-bit groups of a valid IPv6 literal (which may end in a dotted IPv4 part). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    // Rewrite the dotted tail as two hex groups so one parser handles both forms.
    const [a = 0, b = 0, c = 0, d = 0] = text.slice(lastColon + 1).split(".").map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string): number[] => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const gap = text.indexOf("::");
  if (gap < 0) return parse(text);
  const left = parse(text.slice(0, gap));
  const right = parse(text.slice(gap + 2));
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * Writes an IP literal the way `std::net::IpAddr`'s `Display` does, which is the text
 * pingora-ketama hashes: IPv4 dotted decimal without leading zeros; IPv6 in lower-case hex,
 * the first longest run of two or more zero groups shortened to `::`, and IPv4-mapped
 * addresses as `::ffff:a.b.c.d`. Surrounding brackets are removed.
 * @param address An IPv4 or IPv6 literal, IPv6 optionally in brackets.
 * @throws {@link KetamaError} `ZP_KETAMA_INVALID_ADDRESS` if it is not an IP literal.
 */
export function canonicalIp(address: string): string {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return bare.split(".").map(Number).join(".");
  if (!isIPv6(bare) || bare.includes("%")) {
    throw new KetamaError("ZP_KETAMA_INVALID_ADDRESS", `not an IP address: ${JSON.stringify(address)}`);
  }
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const v4 = [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff];
    return `::ffff:${v4.join(".")}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (part: number[]): string => part.map((g) => g.toString(16)).join(":");
  if (bestLength < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}
