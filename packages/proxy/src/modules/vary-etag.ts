import type { HeaderMap } from "@zp/http";

/**
 * Whether the comma-separated list `list` (RFC 9110 §5.6.1) has the member `token`,
 * compared ignoring ASCII case and optional whitespace. `token` must be lowercase.
 */
export function hasListMember(list: string, token: string): boolean {
  const length = list.length;
  let pos = 0;
  while (pos <= length) {
    let end = list.indexOf(",", pos);
    if (end === -1) end = length;
    let start = pos;
    while (start < end && (list.charCodeAt(start) === 0x20 || list.charCodeAt(start) === 0x09)) start++;
    let stop = end;
    while (stop > start && (list.charCodeAt(stop - 1) === 0x20 || list.charCodeAt(stop - 1) === 0x09)) stop--;
    if (stop - start === token.length) {
      let i = 0;
      while (i < token.length) {
        let c = list.charCodeAt(start + i);
        if (c >= 0x41 && c <= 0x5a) c |= 0x20;
        if (c !== token.charCodeAt(i)) break;
        i++;
      }
      if (i === token.length) return true;
    }
    pos = end + 1;
  }
  return false;
}

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
  if (hasListMember(current, "*") || hasListMember(current, name.toLowerCase())) return;
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
