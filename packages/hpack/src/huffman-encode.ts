import { HpackError } from "./hpack-error.js";
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from "./huffman-code.js";

/** Per byte: `code << 5 | length` for codes of up to 24 bits (one load per char), else 0. */
const SHORT_CODES = new Uint32Array(256);
for (let sym = 0; sym < 256; sym++) {
  const len = HUFFMAN_LENGTHS[sym]!;
  if (len <= 24) SHORT_CODES[sym] = (HUFFMAN_CODES[sym]! << 5) | len;
}

/**
 * Length in bytes of `str` once Huffman-coded. Throws `ZP_HPACK_INVALID_INPUT` if a char is
 * above U+00FF (strings carry one byte per char).
 */
export function huffmanEncodedLength(str: string): number {
  let bits = 0;
  for (let i = 0; i < str.length; i++) bits += HUFFMAN_LENGTHS[str.charCodeAt(i)]!;
  // A char above 0xff indexes past the table: `undefined` turns the sum into NaN.
  if (bits !== bits) throw new HpackError("ZP_HPACK_INVALID_INPUT", "header strings must only hold chars U+0000..U+00FF");
  return (bits + 7) >>> 3;
}

/**
 * Writes `str` Huffman-coded at `pos`, padded with ones to a byte boundary, and returns the
 * position after it, or -1 if a char is above U+00FF. The caller made room for
 * {@link huffmanEncodedLength} bytes (4 per char always suffice).
 */
export function writeHuffman(out: Uint8Array, pos: number, str: string): number {
  // `acc` holds the pending bits in its low end; bits above them are stale but harmless: the
  // 32-bit shifts drop them and byte stores keep only the low 8 bits. Fewer than 8 bits are
  // pending between symbols, so a code of up to 24 bits always fits beside them.
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < str.length; i++) {
    const sym = str.charCodeAt(i);
    if (sym > 0xff) return -1;
    const packed = SHORT_CODES[sym]!;
    let len = packed & 31;
    let code = packed >>> 5;
    if (len === 0) {
      // Long codes (rare bytes) go in two parts: the high bits first, then 16 bits.
      len = HUFFMAN_LENGTHS[sym]!;
      code = HUFFMAN_CODES[sym]!;
      const high = len - 16;
      acc = (acc << high) | (code >>> 16);
      bits += high;
      while (bits >= 8) {
        bits -= 8;
        out[pos++] = acc >>> bits;
      }
      len = 16;
      code &= 0xffff;
    }
    acc = (acc << len) | code;
    bits += len;
    if (bits >= 8) {
      bits -= 8;
      out[pos++] = acc >>> bits;
      if (bits >= 8) {
        bits -= 8;
        out[pos++] = acc >>> bits;
        if (bits >= 8) {
          bits -= 8;
          out[pos++] = acc >>> bits;
        }
      }
    }
  }
  if (bits > 0) out[pos++] = (acc << (8 - bits)) | (0xff >>> bits);
  return pos;
}

/** Huffman-codes a latin1 string into new bytes (RFC 7541 §5.2). */
export function huffmanEncode(str: string): Uint8Array {
  const out = new Uint8Array(huffmanEncodedLength(str));
  writeHuffman(out, 0, str);
  return out;
}
