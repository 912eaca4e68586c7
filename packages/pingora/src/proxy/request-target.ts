import type { RequestHeader } from "@zp/http";

/** The host a request is for: `Host` (or the absolute target's), lower-cased, without the port. */
export function requestHost(head: RequestHeader): string {
  let host = head.headers.get("host");
  if (host === undefined || host === "") {
    if (head.uri.startsWith("/")) return "";
    try {
      host = head.target.host ?? "";
    } catch {
      return "";
    }
  }
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    return (close < 0 ? host : host.slice(0, close + 1)).toLowerCase();
  }
  const colon = host.indexOf(":");
  return (colon < 0 ? host : host.slice(0, colon)).toLowerCase();
}

/** The target in origin form (`/path?query`), whatever form the request used. */
export function originForm(head: RequestHeader): string {
  const uri = head.uri;
  if (uri.startsWith("/")) return uri;
  try {
    return head.target.pathAndQuery;
  } catch {
    return uri;
  }
}

/** The path of an origin-form target (without the query). */
export function pathOf(target: string): string {
  const q = target.indexOf("?");
  return q < 0 ? target : target.slice(0, q);
}

/**
 * Whether `path` is under `prefix` at a segment boundary: `/api` matches `/api`, `/api/x`
 * but not `/apix`; a prefix ending in `/` matches anything that starts with it.
 */
export function underPrefix(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || prefix.endsWith("/") || path.charCodeAt(prefix.length) === 0x2f;
}

/** `target` with `prefix` removed from its path (`/api/users?x` → `/users?x`, `/api` → `/`). */
export function stripPrefix(target: string, prefix: string): string {
  const bare = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  const rest = target.slice(bare.length);
  return rest.startsWith("/") ? rest : `/${rest}`;
}
