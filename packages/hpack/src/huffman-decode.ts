import { Buffer } from "node:buffer";
import { HpackError } from "./hpack-error.js";
import { EOS, HUFFMAN_CODES, HUFFMAN_LENGTHS } from "./huffman-code.js";

/*
 * Table-driven decoding, one input byte per step. The states are the 256 inner nodes of the
 * code tree (state 0 is the root, i.e. "between symbols"). TRANSITIONS[state << 8 | byte]
 * packs what feeding that byte does:
 *   bits 0..7   next state
 *   bits 8..15  first emitted symbol
 *   bits 16..23 second emitted symbol (the shortest code has 5 bits, so a byte ends at most 2)
 *   bits 24..25 number of emitted symbols
 *   bit  26     the byte completes EOS: a decoding error
 */
const FAIL = 1 << 26;
const TRANSITIONS = new Uint32Array(256 * 256);
/** Whether a string may end in this state: only fewer than 8 bits of an all-ones prefix are left. */
const CAN_END = new Uint8Array(256);

function buildTables(): void {
  // child[node * 2 + bit]: > 0 inner node, < 0 leaf -(symbol + 1); 0 is unset (the root is nobody's child).
  const child = new Int32Array(512);
  const depth = new Uint8Array(256);
  const allOnes = new Uint8Array(256);
  allOnes[0] = 1;
  let nodes = 1;
  for (let sym = 0; sym <= EOS; sym++) {
    const code = HUFFMAN_CODES[sym]!;
    const len = HUFFMAN_LENGTHS[sym]!;
    let node = 0;
    for (let i = len - 1; i > 0; i--) {
      const bit = (code >>> i) & 1;
      let next = child[node * 2 + bit]!;
      if (next === 0) {
        next = nodes++;
        child[node * 2 + bit] = next;
        depth[next] = depth[node]! + 1;
        allOnes[next] = allOnes[node]! & bit;
      }
      node = next;
    }
    child[node * 2 + (code & 1)] = -(sym + 1);
  }
  if (nodes !== 256) throw new Error(`Huffman code tree has ${nodes} inner nodes, expected 256`);
  for (let state = 0; state < 256; state++) {
    CAN_END[state] = allOnes[state]! && depth[state]! <= 7 ? 1 : 0;
    for (let byte = 0; byte < 256; byte++) {
      let node = state;
      let count = 0;
      let first = 0;
      let second = 0;
      let entry = -1;
      for (let i = 7; i >= 0; i--) {
        const next = child[node * 2 + ((byte >>> i) & 1)]!;
        if (next >= 0) {
          node = next;
          continue;
        }
        const sym = -next - 1;
        if (sym === EOS) {
          entry = FAIL;
          break;
        }
        if (count === 0) first = sym;
        else second = sym;
        count++;
        node = 0;
      }
      TRANSITIONS[(state << 8) | byte] = entry === FAIL ? FAIL : node | (first << 8) | (second << 16) | (count << 24);
    }
  }
}
buildTables();

/** Most bytes `encodedLength` Huffman-coded bytes can decode to (5 bits per symbol at best). */
export function maxHuffmanDecodedLength(encodedLength: number): number {
  return Math.floor((encodedLength * 8) / 5);
}

/**
 * Decodes the Huffman-coded bytes `buf[start..end)` into `out` (room for
 * {@link maxHuffmanDecodedLength} bytes) and returns the decoded length. Throws
 * `ZP_HPACK_EOS_IN_STRING` when EOS appears and `ZP_HPACK_BAD_PADDING` when the last bits are
 * not a run of 0..7 ones (RFC 7541 §5.2).
 */
export function decodeHuffmanInto(buf: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let state = 0;
  let o = 0;
  for (let i = start; i < end; i++) {
    const e = TRANSITIONS[(state << 8) | buf[i]!]!;
    if (e >= 1 << 25) {
      if (e & FAIL) throw new HpackError("ZP_HPACK_EOS_IN_STRING", "EOS symbol inside a Huffman-coded string", i);
      out[o++] = e >>> 8;
      out[o++] = e >>> 16;
    } else if (e >= 1 << 24) {
      out[o++] = e >>> 8;
    }
    state = e & 0xff;
  }
  if (CAN_END[state] === 0) throw new HpackError("ZP_HPACK_BAD_PADDING", "Huffman padding is not 0..7 one bits", end - 1);
  return o;
}

/** Decodes a Huffman-coded string (RFC 7541 §5.2) to a latin1 string. */
export function huffmanDecode(bytes: Uint8Array): string {
  const out = Buffer.allocUnsafe(maxHuffmanDecodedLength(bytes.length));
  const n = decodeHuffmanInto(bytes, 0, bytes.length, out);
  return out.toString("latin1", 0, n);
}
