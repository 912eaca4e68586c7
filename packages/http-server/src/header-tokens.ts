// Case-insensitive matching of header names and comma-separated tokens.

/** Whether `text` equals the lowercase ASCII `lower`, ignoring ASCII case. */
export function equalsLower(text: string, lower: string): boolean {
  const len = lower.length;
  if (text.length !== len) return false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether the comma-separated list `value` holds the token `lower` (any case). */
export function hasToken(value: string, lower: string): boolean {
  const len = value.length;
  let start = 0;
  while (start <= len) {
    let end = value.indexOf(",", start);
    if (end === -1) end = len;
    let s = start;
    let e = end;
    while (s < e && (value.charCodeAt(s) === 0x20 || value.charCodeAt(s) === 0x09)) s++;
    while (e > s && (value.charCodeAt(e - 1) === 0x20 || value.charCodeAt(e - 1) === 0x09)) e--;
    if (e - s === lower.length && equalsLower(value.slice(s, e), lower)) return true;
    start = end + 1;
  }
  return false;
}

/** Whether the last comma-separated token of `value` is `lower` (any case). */
export function lastTokenIs(value: string, lower: string): boolean {
  let e = value.length;
  while (e > 0 && (value.charCodeAt(e - 1) === 0x20 || value.charCodeAt(e - 1) === 0x09)) e--;
  const comma = value.lastIndexOf(",", e - 1);
  let s = comma + 1;
  while (s < e && (value.charCodeAt(s) === 0x20 || value.charCodeAt(s) === 0x09)) s++;
  return e - s === lower.length && equalsLower(value.slice(s, e), lower);
}
