import { T0, T1, T2, T3, T4, T5, T6, T7 } from "./crc32-tables.js";

/**
 * Continues a CRC-32 register (the inverted form, `~crc`) over bytes, eight at a time.
 * @internal
 */
export function updateBytes(register: number, bytes: Uint8Array, start: number, end: number): number {
  let c = register | 0;
  let i = start;
  const stop8 = end - 7;
  while (i < stop8) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    const hi = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
    c =
      T7[c & 0xff]! ^
      T6[(c >>> 8) & 0xff]! ^
      T5[(c >>> 16) & 0xff]! ^
      T4[c >>> 24]! ^
      T3[hi & 0xff]! ^
      T2[(hi >>> 8) & 0xff]! ^
      T1[(hi >>> 16) & 0xff]! ^
      T0[hi >>> 24]!;
    i += 8;
  }
  while (i < end) c = T0[(c ^ bytes[i++]!) & 0xff]! ^ (c >>> 8);
  return c;
}

/**
 * Continues a CRC-32 register over one 32-bit word given as its four little-endian bytes.
 * @internal
 */
export function updateWordLE(register: number, word: number): number {
  const c = register ^ word;
  return T3[c & 0xff]! ^ T2[(c >>> 8) & 0xff]! ^ T1[(c >>> 16) & 0xff]! ^ T0[c >>> 24]!;
}

function updateByte(c: number, byte: number): number {
  return T0[(c ^ byte) & 0xff]! ^ (c >>> 8);
}

/**
 * Continues a CRC-32 register over the UTF-8 encoding of a string without encoding it first.
 * Runs of four ASCII characters are folded as one word; lone surrogates count as U+FFFD,
 * as `TextEncoder` and `Buffer.from` encode them.
 * @internal
 */
export function updateString(register: number, text: string): number {
  let c = register | 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    if (i + 4 <= length) {
      const a = text.charCodeAt(i);
      const b = text.charCodeAt(i + 1);
      const d = text.charCodeAt(i + 2);
      const e = text.charCodeAt(i + 3);
      if ((a | b | d | e) < 0x80) {
        c = updateWordLE(c, a | (b << 8) | (d << 16) | (e << 24));
        i += 4;
        continue;
      }
    }
    const unit = text.charCodeAt(i++);
    if (unit < 0x80) {
      c = updateByte(c, unit);
    } else if (unit < 0x800) {
      c = updateByte(updateByte(c, 0xc0 | (unit >> 6)), 0x80 | (unit & 0x3f));
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = i < length ? text.charCodeAt(i) : 0;
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        const point = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
        c = updateByte(c, 0xf0 | (point >> 18));
        c = updateByte(c, 0x80 | ((point >> 12) & 0x3f));
        c = updateByte(c, 0x80 | ((point >> 6) & 0x3f));
        c = updateByte(c, 0x80 | (point & 0x3f));
      } else {
        c = updateByte(updateByte(updateByte(c, 0xef), 0xbf), 0xbd);
      }
    } else {
      c = updateByte(c, 0xe0 | (unit >> 12));
      c = updateByte(c, 0x80 | ((unit >> 6) & 0x3f));
      c = updateByte(c, 0x80 | (unit & 0x3f));
    }
  }
  return c;
}

/**
 * CRC-32 (IEEE 802.3, the one of zlib, gzip and PNG) of a string's UTF-8 bytes or of raw bytes.
 *
 * Pass the CRC of the data before as `previous` to continue it, so
 * `crc32(b, crc32(a))` equals the CRC of `a` followed by `b` (the same contract as
 * `zlib.crc32`).
 * @param data A string (hashed as UTF-8) or bytes.
 * @param previous The CRC-32 of the preceding data, `0` to start.
 * @returns The CRC-32 as an unsigned 32-bit integer.
 */
export function crc32(data: string | Uint8Array, previous = 0): number {
  const register = ~previous;
  const c = typeof data === "string" ? updateString(register, data) : updateBytes(register, data, 0, data.length);
  return ~c >>> 0;
}
