import { Buffer } from "node:buffer";
/** Node's Buffer has a latin1Write method that its typings leave out. */
type Latin1Buffer = Buffer & { latin1Write(text: string, offset: number, length: number): number };

/** Below this length a plain byte loop beats a call into native code. */
const NATIVE_WRITE_THRESHOLD = 32;

/**
 * Writes `text` as latin1 (one byte per char, the low 8 bits) at `offset` and returns the
 * offset after it. The caller has checked that the buffer is large enough.
 */
export function writeLatin1(buf: Buffer, text: string, offset: number): number {
  const len = text.length;
  if (len < NATIVE_WRITE_THRESHOLD) {
    for (let i = 0; i < len; i++) buf[offset + i] = text.charCodeAt(i);
    return offset + len;
  }
  return offset + (buf as Latin1Buffer).latin1Write(text, offset, len);
}

type SliceableBuffer = Buffer & { latin1Slice(start: number, end: number): string };

const chars = String.fromCharCode;

/**
 * `b[s .. s + n)` as a string for 1 <= n <= 8: one `String.fromCharCode` call with an argument
 * per byte (the arity must match the length), no native call. Short values (`13`, `close`,
 * `chunked`) are the common ones.
 */
function shortLatin1(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 1: return chars(b[s]!);
    case 2: return chars(b[s]!, b[s + 1]!);
    case 3: return chars(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    default: return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
  }
}

/** Reads bytes `start..end` of `buf` as a latin1 string (one char per byte). */
export function readLatin1(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 8) return n <= 0 ? "" : shortLatin1(buf, start, n);
  if (Buffer.isBuffer(buf)) return (buf as SliceableBuffer).latin1Slice(start, end);
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1", start, end);
}

/** Copies `bytes` into `buf` at `offset` and returns the offset after them. */
export function copyBytes(buf: Uint8Array, bytes: Uint8Array, offset: number): number {
  const len = bytes.length;
  if (len < NATIVE_WRITE_THRESHOLD) {
    // A plain loop: for the few bytes of a header name it beats TypedArray#set's call.
    for (let i = 0; i < len; i++) buf[offset + i] = bytes[i]!;
    return offset + len;
  }
  buf.set(bytes, offset);
  return offset + len;
}
