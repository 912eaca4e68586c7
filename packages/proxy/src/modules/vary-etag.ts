import { type HeaderMap, hasListToken } from "@zp/http";

/**
 * Adds `name` to the response's `Vary` (RFC 9110 §12.5.5): appends a field when there is
 * none, otherwise merges all `Vary` fields into one with `name` added. Does nothing when
 * `name` is already listed (any case) or `Vary: *` is present (it already covers every field).
 */
export function addVary(headers: HeaderMap, name: string): void {
  const current = headers.getJoined("vary");
  if (current === undefined) {
    headers.appendUnchecked("Vary", name);
    return;
  }
  if (hasListToken(current, "*") || hasListToken(current, name.toLowerCase())) return;
  // Drop empty members a sender may have left (`Vary: , Accept`), keep the rest as sent.
  const trimmed = current.replace(/^[\s,]+|[\s,]+$/g, "");
  headers.setUnchecked("Vary", trimmed === "" ? name : `${trimmed}, ${name}`);
}

/**
 * Makes a strong `ETag` weak (`"x"` becomes `W/"x"`, RFC 9110 §8.8.3): a transformed body is
 * no longer byte-identical to the one the tag was made for, but is semantically equivalent,
 * so conditional GETs keep working (`If-None-Match` compares weakly). A weak tag is left
 * as is; a malformed one (not a quoted string) is removed.
 */
export function weakenEtag(headers: HeaderMap): void {
  const etag = headers.get("etag");
  if (etag === undefined) return;
  const c0 = etag.charCodeAt(0);
  if ((c0 === 0x57 || c0 === 0x77) && etag.charCodeAt(1) === 0x2f) return;
  if (c0 === 0x22 && etag.length >= 2 && etag.charCodeAt(etag.length - 1) === 0x22) headers.setUnchecked("ETag", `W/${etag}`);
  else headers.remove("etag");
}
