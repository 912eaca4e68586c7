import { Buffer } from "node:buffer";
const nativeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, s: number, e: number) => string })
  .latin1Slice;
const chars = String.fromCharCode;

/**
 * Strings up to this length are built in JS: one `String.fromCharCode` call with one
 * argument per byte costs a fraction of a native call, which has a fixed cost of its own.
 */
export const SHORT_STRING = 16;

/** `buf[s .. s + n)` as a string, for 1 <= n <= SHORT_STRING: one allocation, no native call. */
function short(b: Uint8Array, s: number, n: number): string {
  // The arity must match the length, so each length has its own call.
  switch (n) {
    case 1: return chars(b[s]!);
    case 2: return chars(b[s]!, b[s + 1]!);
    case 3: return chars(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!);
    case 11: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!,
      b[s + 10]!);
    case 12: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!,
      b[s + 10]!, b[s + 11]!);
    case 13: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!,
      b[s + 10]!, b[s + 11]!, b[s + 12]!);
    case 14: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!,
      b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!);
    case 15: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!,
      b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    default: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!,
      b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!);
  }
}

/** Decodes `buf[start..end)` as latin1 without copying the bytes into a Buffer first. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len <= 0) return "";
  if (len <= SHORT_STRING) return short(buf, start, len);
  return nativeLatin1Slice.call(buf, start, end);
}

/** Whether `buf[start..end)` equals `lower` ignoring ASCII case (`lower` must be lower-case). */
export function equalsIgnoreCase(buf: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    // `| 0x20` folds A-Z onto a-z and leaves digits and '-' unchanged.
    if ((buf[start + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
