import { isIP } from "node:net";

/**
 * Lower-cases a DNS name and drops one trailing dot (`A.Test.` → `a.test`), the form
 * certificate lookups compare against.
 */
export function normalizeHostname(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/**
 * Whether `host` is an IPv4 or IPv6 literal (brackets allowed). RFC 6066 forbids
 * sending such a value as the SNI server name.
 */
export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return isIP(bare) !== 0;
}

/**
 * The domain a wildcard certificate name covers: `*.example.com` → `example.com`.
 * Returns `undefined` for names that are not a whole-label wildcard over at least two labels
 * (`*`, `*.com` and partial wildcards such as `w*.example.com` are not supported).
 */
export function wildcardParent(name: string): string | undefined {
  if (!name.startsWith("*.")) return undefined;
  const parent = name.slice(2);
  if (parent.length === 0 || parent.includes("*") || !parent.includes(".")) return undefined;
  return parent;
}

/**
 * The parent domain a server name would match as a wildcard: `a.example.com` →
 * `example.com`. A wildcard covers exactly one label, so `a.b.example.com` gives
 * `b.example.com`, which a `*.example.com` entry does not match.
 */
export function parentDomain(servername: string): string | undefined {
  const dot = servername.indexOf(".");
  return dot > 0 ? servername.slice(dot + 1) : undefined;
}
