// Request-target forms (RFC 9112 §3.2). The bytes were already checked against URL_CHAR;
// this checks the shape, which needs the whole target.

const SLASH = 0x2f;
const STAR = 0x2a;
const COLON = 0x3a;

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

// Bytes of an authority: unreserved, sub-delims, ':', '@', '[', ']' and '%' (pct-encoding).
const AUTHORITY = (() => {
  const t = new Uint8Array(256);
  const extra = "-._~!$&'()*+,;=:@[]%";
  for (let c = 0; c < 256; c++) {
    t[c] = isAlpha(c) || (c >= 0x30 && c <= 0x39) || extra.includes(String.fromCharCode(c)) ? 1 : 0;
  }
  return t;
})();

/** Index of the first byte of a CONNECT target (authority-form) that is not an authority byte, or -1. */
export function checkAuthority(buf: Uint8Array, start: number, end: number): number {
  for (let p = start; p < end; p++) if (AUTHORITY[buf[p]!] === 0) return p;
  return -1;
}

/**
 * Whether `buf[start..end)` is an origin-form (`/path?query`), asterisk-form (`*`) or
 * absolute-form (`scheme://authority/path`) target. Authority-form is only for CONNECT
 * and is checked by the caller. Returns the index of the first bad byte, or -1.
 */
export function checkRequestTarget(buf: Uint8Array, start: number, end: number): number {
  const first = buf[start]!;
  if (first === SLASH) return -1;
  if (first === STAR) return end - start === 1 ? -1 : start + 1;
  if (!isAlpha(first)) return start;
  // absolute-form: scheme (letters only, like Node's parser) "://" authority [path]
  let p = start + 1;
  while (p < end && isAlpha(buf[p]!)) p++;
  if (p + 3 > end || buf[p] !== COLON || buf[p + 1] !== SLASH || buf[p + 2] !== SLASH) return Math.min(p, end - 1);
  p += 3;
  while (p < end) {
    const c = buf[p]!;
    if (c === SLASH || c === 0x3f /* ? */ || c === 0x23 /* # */) return -1;
    if (AUTHORITY[c] === 0) return p;
    p++;
  }
  return -1;
}
