import { TOKEN } from "./char-tables.js";

// Byte-class scanners for the hot loops. Each returns the index of the first byte in
// `buf[p..end)` outside its class (or `end`), exactly as a loop over the matching table
// in char-tables.ts would, but tests four bytes per step with plain arithmetic: on long
// values that halves the cost of a table load and compare per byte.
//
// For a byte `c`, `c - lo` is negative when c < lo and `hi - c` is negative when c > hi;
// OR-ing those of four bytes is negative when any of them is out of range.

/**
 * End of a run of field-value bytes (`FIELD_VALUE`: HTAB, SP, VCHAR, obs-text), i.e. the
 * first byte below 0x20 other than HTAB, or DEL.
 */
export function skipFieldValue(buf: Uint8Array, p: number, end: number): number {
  for (;;) {
    const last = end - 4;
    while (p <= last) {
      const a = buf[p]!;
      const b = buf[p + 1]!;
      const c = buf[p + 2]!;
      const d = buf[p + 3]!;
      // c - 0x20 < 0: a control byte; (c ^ 0x7f) - 1 < 0: DEL.
      if (((a - 0x20) | (b - 0x20) | (c - 0x20) | (d - 0x20) | ((a ^ 0x7f) - 1) | ((b ^ 0x7f) - 1) | ((c ^ 0x7f) - 1) | ((d ^ 0x7f) - 1)) < 0) {
        break;
      }
      p += 4;
    }
    while (p < end) {
      const c = buf[p]!;
      if (c < 0x20 || c === 0x7f) break;
      p++;
    }
    // HTAB is the one control byte allowed inside a value; it is rare, so it leaves the fast loop.
    if (p < end && buf[p] === 0x09) {
      p++;
      continue;
    }
    return p;
  }
}

/** End of a run of request-target bytes (`URL_CHAR`: 0x21..0x7e). */
export function skipUrl(buf: Uint8Array, p: number, end: number): number {
  const last = end - 4;
  while (p <= last) {
    const a = buf[p]!;
    const b = buf[p + 1]!;
    const c = buf[p + 2]!;
    const d = buf[p + 3]!;
    if (((a - 0x21) | (b - 0x21) | (c - 0x21) | (d - 0x21) | (0x7e - a) | (0x7e - b) | (0x7e - c) | (0x7e - d)) < 0) break;
    p += 4;
  }
  while (p < end) {
    const c = buf[p]!;
    if (c < 0x21 || c > 0x7e) break;
    p++;
  }
  return p;
}

/** End of a run of token bytes (`TOKEN`, RFC 9110 tchar). */
export function skipToken(buf: Uint8Array, p: number, end: number): number {
  while (p < end && TOKEN[buf[p]!] === 1) p++;
  return p;
}
