import { HeaderKeySet, type HeaderMap } from "@zp/http";

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1, RFC 9112): they describe one connection and are
 * never forwarded as they are. The proxy re-frames bodies itself, so `Transfer-Encoding`
 * is among them (a coding other than `chunked` is kept on responses).
 */
const CONNECTION = 1;
const KEEP_ALIVE = 2;
const PROXY_CONNECTION = 4;
const TE = 8;
const TRAILER = 16;
const TRANSFER_ENCODING = 32;
const UPGRADE = 64;
const PROXY_AUTHENTICATE = 128;
const PROXY_AUTHORIZATION = 256;

/** Each hop-by-hop name (lowercase) and its bit in the mask of the ones present. */
const HOP_BY_HOP = new Map<string, number>([
  ["connection", CONNECTION],
  ["keep-alive", KEEP_ALIVE],
  ["proxy-connection", PROXY_CONNECTION],
  ["te", TE],
  ["trailer", TRAILER],
  ["transfer-encoding", TRANSFER_ENCODING],
  ["upgrade", UPGRADE],
  ["proxy-authenticate", PROXY_AUTHENTICATE],
  ["proxy-authorization", PROXY_AUTHORIZATION],
]);

/** Fields a `Connection` header may not remove: the message would lose its meaning. */
const PROTECTED = new Set(["host", "content-length"]);

/** What {@link stripHopByHop} may keep. */
export interface KeepFields {
  /** Keep `Upgrade` (an upgrade request, or a 101 answering one). */
  upgrade: boolean;
  /** Keep `Trailer` (trailers will be forwarded). */
  trailer: boolean;
  /** Keep a `Transfer-Encoding` that holds codings other than `chunked` (responses). */
  codings: boolean;
}

/** The hop-by-hop names, in the order of their bits. */
const HOP_BY_HOP_KEYS = new HeaderKeySet([...HOP_BY_HOP.keys()]);

/** Scratch for `matchKeys`: which hop-by-hop name each field has (stripping is synchronous, one at a time). */
const MATCHES: number[] = [];

/** The index of the one field matched as `k` among the first `n`, or -1 when there are more. */
function onlyMatch(matches: readonly number[], n: number, k: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    if (matches[i] !== k) continue;
    if (at >= 0) return -1;
    at = i;
  }
  return at;
}

function isOnlyChunked(value: string): boolean {
  return value.trim().toLowerCase() === "chunked";
}

/**
 * Removes hop-by-hop fields from `headers`: `Connection` and every field it names (except
 * `Host` and `Content-Length`), `Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`,
 * `Transfer-Encoding`, `Upgrade`, `Proxy-Authenticate` and `Proxy-Authorization`, minus
 * what `keep` allows. Returns whether a removed `TE` field accepted trailers (`TE: trailers`).
 */
export function stripHopByHop(headers: HeaderMap, keep: KeepFields): boolean {
  // only the fields present are looked up and removed (a response usually has just `Connection`)
  const matches = MATCHES;
  const mask = headers.matchKeys(HOP_BY_HOP_KEYS, matches);
  if (mask === 0) return false;
  if (mask === CONNECTION) {
    // one `Connection: keep-alive` (what most servers send) names no field but one that is
    // not there: it goes by its index, no string made
    const at = onlyMatch(matches, headers.size, 0);
    if (at >= 0 && headers.valueIs(at, "keep-alive")) {
      headers.removeAt(at);
      return false;
    }
  }
  let wantsTrailers = false;
  if ((mask & CONNECTION) !== 0) {
    for (const raw of headers.getJoined("connection")!.split(",")) {
      const token = raw.trim().toLowerCase();
      if (token.length === 0 || PROTECTED.has(token) || HOP_BY_HOP.has(token)) continue;
      headers.remove(token);
    }
    headers.remove("connection");
  }
  if ((mask & TE) !== 0) {
    wantsTrailers = /(?:^|,)\s*trailers\s*(?:;|,|$)/i.test(headers.getJoined("te")!);
    headers.remove("te");
  }
  if ((mask & TRANSFER_ENCODING) !== 0 && !(keep.codings && !isOnlyChunked(headers.getJoined("transfer-encoding")!))) headers.remove("transfer-encoding");
  if ((mask & UPGRADE) !== 0 && !keep.upgrade) headers.remove("upgrade");
  if ((mask & TRAILER) !== 0 && !keep.trailer) headers.remove("trailer");
  if ((mask & KEEP_ALIVE) !== 0) headers.remove("keep-alive");
  if ((mask & PROXY_CONNECTION) !== 0) headers.remove("proxy-connection");
  if ((mask & PROXY_AUTHENTICATE) !== 0) headers.remove("proxy-authenticate");
  if ((mask & PROXY_AUTHORIZATION) !== 0) headers.remove("proxy-authorization");
  return wantsTrailers;
}
