import type { HeaderMap } from "@zp/http";

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1, RFC 9112): they describe one connection and are
 * never forwarded as they are. The proxy re-frames bodies itself, so `Transfer-Encoding`
 * is among them (a coding other than `chunked` is kept on responses).
 */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-authenticate",
  "proxy-authorization",
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

/** Whether any field of `headers` may be hop-by-hop (one pass over the keys, no allocation). */
function anyHopByHop(headers: HeaderMap): boolean {
  const n = headers.size;
  for (let i = 0; i < n; i++) {
    const key = headers.keyAt(i)!;
    // every hop-by-hop name has 2, 7, 10, 16, 17, 18 or 19 chars
    const len = key.length;
    if ((len === 2 || len === 7 || len === 10 || (len >= 16 && len <= 19)) && HOP_BY_HOP.has(key)) return true;
  }
  return false;
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
  if (!anyHopByHop(headers)) return false;
  let wantsTrailers = false;
  const connection = headers.getJoined("connection");
  if (connection !== undefined) {
    for (const raw of connection.split(",")) {
      const token = raw.trim().toLowerCase();
      if (token.length === 0 || PROTECTED.has(token) || HOP_BY_HOP.has(token)) continue;
      headers.remove(token);
    }
    headers.remove("connection");
  }
  const te = headers.getJoined("te");
  if (te !== undefined) {
    wantsTrailers = /(?:^|,)\s*trailers\s*(?:;|,|$)/i.test(te);
    headers.remove("te");
  }
  const coding = headers.getJoined("transfer-encoding");
  if (coding !== undefined && !(keep.codings && !isOnlyChunked(coding))) headers.remove("transfer-encoding");
  if (!keep.upgrade) headers.remove("upgrade");
  if (!keep.trailer) headers.remove("trailer");
  headers.remove("keep-alive");
  headers.remove("proxy-connection");
  headers.remove("proxy-authenticate");
  headers.remove("proxy-authorization");
  return wantsTrailers;
}
