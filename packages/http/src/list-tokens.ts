// Comma-separated field values (RFC 9110 §5.6.1): `Connection`, `Transfer-Encoding`,
// `Cache-Control`, `Vary`... compared ignoring ASCII case and optional whitespace.

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Whether `text[start..end)` equals the lowercase ASCII `lower`, ignoring ASCII case. */
function rangeEquals(text: string, start: number, end: number, lower: string): boolean {
  const len = lower.length;
  if (end - start !== len) return false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(start + i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether `text` equals the lowercase ASCII `lower`, ignoring ASCII case (not `toLowerCase`: only A-Z fold). */
export function equalsLowercase(text: string, lower: string): boolean {
  return rangeEquals(text, 0, text.length, lower);
}

/**
 * Whether the comma-separated list `list` has the member `lower` (which must be lowercase),
 * ignoring ASCII case and the whitespace around members. No allocation.
 *
 * @example
 * ```ts
 * hasListToken("keep-alive, Close", "close"); // true
 * hasListToken("no-transformed", "no-transform"); // false
 * ```
 */
export function hasListToken(list: string, lower: string): boolean {
  const len = list.length;
  let start = 0;
  while (start <= len) {
    let end = list.indexOf(",", start);
    if (end === -1) end = len;
    let s = start;
    let e = end;
    while (s < e && isOws(list.charCodeAt(s))) s++;
    while (e > s && isOws(list.charCodeAt(e - 1))) e--;
    if (rangeEquals(list, s, e, lower)) return true;
    start = end + 1;
  }
  return false;
}

/** Whether the last member of the comma-separated list `list` is `lower` (any case): `gzip, chunked` ends with `chunked`. */
export function lastListTokenIs(list: string, lower: string): boolean {
  let e = list.length;
  while (e > 0 && isOws(list.charCodeAt(e - 1))) e--;
  let s = list.lastIndexOf(",", e - 1) + 1;
  while (s < e && isOws(list.charCodeAt(s))) s++;
  return rangeEquals(list, s, e, lower);
}
