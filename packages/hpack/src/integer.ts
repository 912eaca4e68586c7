import { HpackError } from "./hpack-error.js";

/** Largest integer the decoder accepts (table sizes and lengths fit in 32 bits in HTTP/2). */
export const MAX_INTEGER = 0xffffffff;

/** Number of bytes {@link writeInteger} needs for `value` with an N-bit prefix. */
export function integerLength(value: number, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) return 1;
  let rest = value - max;
  let n = 2;
  while (rest >= 128) {
    rest = Math.floor(rest / 128);
    n++;
  }
  return n;
}

/**
 * Writes `value` with an N-bit prefix (RFC 7541 §5.1) at `pos`, OR-ing `flags` into the
 * first byte's high bits. Returns the position after the last byte written.
 * The caller makes sure `out` has room (at most 6 bytes for values up to 2^32).
 */
export function writeInteger(out: Uint8Array, pos: number, value: number, prefixBits: number, flags: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out[pos] = flags | value;
    return pos + 1;
  }
  out[pos++] = flags | max;
  let rest = value - max;
  while (rest >= 128) {
    out[pos++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  out[pos++] = rest;
  return pos;
}

/**
 * Reads an integer with an N-bit prefix starting at `pos` (the prefix byte) and stores it in
 * `result[0]`. Returns the position after its last byte. Throws `ZP_HPACK_TRUNCATED` when the
 * bytes end before the integer does and `ZP_HPACK_INTEGER_OVERFLOW` above {@link MAX_INTEGER}
 * (including overlong encodings padded with zero continuation bytes).
 */
export function readInteger(buf: Uint8Array, pos: number, end: number, prefixBits: number, result: Float64Array): number {
  const max = (1 << prefixBits) - 1;
  let value = buf[pos]! & max;
  pos++;
  if (value < max) {
    result[0] = value;
    return pos;
  }
  let factor = 1;
  for (;;) {
    if (pos >= end) throw new HpackError("ZP_HPACK_TRUNCATED", "header block ends inside an integer", pos);
    const b = buf[pos++]!;
    value += (b & 0x7f) * factor;
    if (value > MAX_INTEGER) throw new HpackError("ZP_HPACK_INTEGER_OVERFLOW", "integer above 2^32-1", pos - 1);
    if ((b & 0x80) === 0) break;
    factor *= 128;
    // 5 continuation bytes carry 35 bits: any more can only be overlong zeros.
    if (factor > 2 ** 28) throw new HpackError("ZP_HPACK_INTEGER_OVERFLOW", "integer encoding too long", pos);
  }
  result[0] = value;
  return pos;
}

/** Encodes `value` with an N-bit prefix (1..8) into new bytes; `flags` fills the bits above the prefix. */
export function encodeInteger(value: number, prefixBits: number, flags = 0): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INTEGER) {
    throw new HpackError("ZP_HPACK_INVALID_INPUT", `integer must be in 0..2^32-1, got ${value}`);
  }
  if (!Number.isInteger(prefixBits) || prefixBits < 1 || prefixBits > 8) {
    throw new RangeError(`prefix must be 1..8 bits, got ${prefixBits}`);
  }
  const out = new Uint8Array(integerLength(value, prefixBits));
  writeInteger(out, 0, value, prefixBits, flags & ~((1 << prefixBits) - 1) & 0xff);
  return out;
}

/** Decodes an integer with an N-bit prefix (1..8) from `bytes` at `offset`. */
export function decodeInteger(bytes: Uint8Array, prefixBits: number, offset = 0): { value: number; length: number } {
  if (!Number.isInteger(prefixBits) || prefixBits < 1 || prefixBits > 8) {
    throw new RangeError(`prefix must be 1..8 bits, got ${prefixBits}`);
  }
  if (offset >= bytes.length) throw new HpackError("ZP_HPACK_TRUNCATED", "no bytes to decode an integer from", offset);
  const result = new Float64Array(1);
  const end = readInteger(bytes, offset, bytes.length, prefixBits, result);
  return { value: result[0]!, length: end - offset };
}
