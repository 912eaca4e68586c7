import { Buffer } from "node:buffer";
// Writing text and numbers into response buffers (latin1 text and raw bytes: @zp/http's
// writeLatin1 and copyBytes).

/** Node's Buffer has a utf8Write method that its typings leave out. */
type FastBuffer = Buffer & { utf8Write(text: string, offset: number, length: number): number };

/** Strings up to this length are measured and written in JS when they are ASCII. */
const SHORT_TEXT = 64;

/** The UTF-8 length of `text`. */
export function utf8Length(text: string): number {
  const len = text.length;
  if (len <= SHORT_TEXT) {
    let i = 0;
    while (i < len && text.charCodeAt(i) < 0x80) i++;
    if (i === len) return len;
  }
  return Buffer.byteLength(text, "utf8");
}

/** Writes `text` as UTF-8 at `at` (`bytes` is its UTF-8 length); returns the offset after it. */
export function putUtf8(buf: Buffer, text: string, at: number, bytes: number): number {
  if (bytes === text.length && bytes <= SHORT_TEXT) {
    // ASCII (equal lengths): one byte per char
    for (let i = 0; i < bytes; i++) buf[at + i] = text.charCodeAt(i);
    return at + bytes;
  }
  return at + (buf as FastBuffer).utf8Write(text, at, bytes);
}

/** Writes the decimal digits of a non-negative safe integer; returns the offset after them. */
export function putDecimal(buf: Buffer, value: number, at: number): number {
  const digits = decimalLength(value);
  let v = value;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}

/** Number of decimal digits of a non-negative safe integer. */
export function decimalLength(value: number): number {
  let n = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) n++;
  return n;
}

/** Writes a non-negative safe integer in lowercase hex; returns the offset after it. */
export function putHex(buf: Buffer, value: number, at: number): number {
  const digits = hexLength(value);
  let v = value;
  for (let i = at + digits - 1; i >= at; i--) {
    const d = v % 16;
    buf[i] = d < 10 ? 0x30 + d : 0x57 + d;
    v = Math.floor(v / 16);
  }
  return at + digits;
}

/** Number of hex digits of a non-negative safe integer. */
export function hexLength(value: number): number {
  let n = 1;
  for (let v = value; v >= 16; v = Math.floor(v / 16)) n++;
  return n;
}
