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

/** Up to this many bytes, a string is built in JS: cheaper than a native slice's fixed cost. */
const SHORT_READ = 4;

/** Reads bytes `start..end` of `buf` as a latin1 string (one char per byte). */
export function readLatin1(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_READ) {
    // one-char strings are cached by V8; a few appends make a flat string (Content-Length values, tokens)
    let text = "";
    for (let i = start; i < end; i++) text += chars(buf[i]!);
    return text;
  }
  if (Buffer.isBuffer(buf)) return (buf as SliceableBuffer).latin1Slice(start, end);
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1", start, end);
}

/** Copies `src[start..end)` into `buf` at `at` and returns the offset after it. */
export function copyRange(buf: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < NATIVE_WRITE_THRESHOLD) {
    // a plain loop: for the few bytes of a name or a value it beats TypedArray#set's call
    for (let i = 0; i < len; i++) buf[at + i] = src[start + i]!;
  } else {
    // a plain Uint8Array view: `subarray` of a Buffer goes through its species constructor
    buf.set(start === 0 && end === src.length ? src : new Uint8Array(src.buffer, src.byteOffset + start, len), at);
  }
  return at + len;
}

/** Copies `bytes` into `buf` at `offset` and returns the offset after them. */
export function copyBytes(buf: Uint8Array, bytes: Uint8Array, offset: number): number {
  return copyRange(buf, offset, bytes, 0, bytes.length);
}
