import { Buffer } from "node:buffer";
import { EncoderTable } from "./encoder-table.js";
import { HpackError } from "./hpack-error.js";
import { huffmanEncodedLength, writeHuffman } from "./huffman-encode.js";
import {
  INCREMENTAL,
  NAME_INFO,
  NEVER_INDEXED,
  STATIC_NAME_INFO,
  chooseRepresentation,
  isSensitive,
} from "./indexing-policy.js";
import { MAX_INTEGER, writeInteger } from "./integer.js";
import type { HeaderInput } from "./types.js";

/** When the encoder Huffman-codes a string. */
export type HuffmanMode = "shorter" | "always" | "never";

/** Options of an {@link Encoder}. */
export interface EncoderOptions {
  /**
   * Dynamic table size both ends start with: the peer's SETTINGS_HEADER_TABLE_SIZE, as its
   * decoder was created with (default 4096, the HTTP/2 initial value). To use a different
   * size later, call {@link Encoder.setMaxTableSize}, which signals it to the peer.
   */
  maxTableSize?: number;
  /** `shorter` (default): Huffman only when it saves bytes; `always`; `never`. */
  huffman?: HuffmanMode;
  /**
   * Apply the built-in per-name rules (default true): never-indexed `authorization`,
   * `proxy-authorization`, `set-cookie` and short `cookie` values; not-indexed
   * `content-length`, `etag`, ... With false, only the per-field sensitive flag and the size
   * rule decide, and every other field is indexed.
   */
  builtinRules?: boolean;
}

/** Default size of the peer's table before any update (RFC 9113 SETTINGS_HEADER_TABLE_SIZE). */
const INITIAL_TABLE_SIZE = 4096;

interface Latin1Buffer extends Buffer {
  latin1Write(str: string, offset: number, length: number): number;
}

/**
 * An HPACK encoder (RFC 7541): one per connection direction; encode each header list in the
 * order the blocks are sent.
 *
 * Representation choices, in order:
 * 1. sensitive fields are sent never-indexed: fields marked `true` in their third element,
 *    `authorization`, `proxy-authorization`, `set-cookie`, and `cookie` values under 20 bytes;
 * 2. an exact match in the static or dynamic table is sent as an index;
 * 3. values that are different in nearly every message are sent without indexing:
 *    `content-length`, `etag`, `if-none-match`, `if-modified-since`, `age`, and
 *    `:path` values longer than 32 bytes; so are fields bigger than 3/4 of the table;
 * 4. anything else is sent with incremental indexing.
 * Names are taken by index whenever the static or dynamic table has them. Strings are
 * Huffman-coded only when that is shorter (see {@link EncoderOptions.huffman}).
 */
export class Encoder {
  private readonly table: EncoderTable;
  private readonly huffman: HuffmanMode;
  /** Lowest size set since the last block, or -1 when no size update is due. */
  private pendingLowest: number;
  private out: Latin1Buffer = Buffer.allocUnsafe(4096) as Latin1Buffer;
  private pos = 0;

  constructor(options: EncoderOptions = {}) {
    const size = checkSize(options.maxTableSize ?? INITIAL_TABLE_SIZE);
    this.table = new EncoderTable(size, options.builtinRules === false ? STATIC_NAME_INFO : NAME_INFO);
    this.pendingLowest = -1;
    this.huffman = options.huffman ?? "shorter";
  }

  /**
   * Changes the dynamic table size (e.g. after the peer's SETTINGS_HEADER_TABLE_SIZE changed;
   * never above it). Entries that no longer fit are evicted now, and the next block starts
   * with the size update(s): the lowest size set in between, then the final one if higher.
   */
  setMaxTableSize(size: number): void {
    checkSize(size);
    this.table.setMaxSize(size);
    this.pendingLowest = this.pendingLowest < 0 ? size : Math.min(this.pendingLowest, size);
  }

  /** Current size of the dynamic table in octets. */
  get tableSize(): number {
    return this.table.size;
  }

  /** Current maximum size of the dynamic table. */
  get maxTableSize(): number {
    return this.table.maxSize;
  }

  /** Encodes one header list into a header block. */
  encode(headers: readonly HeaderInput[]): Buffer {
    this.pos = 0;
    if (this.pendingLowest >= 0) this.writeSizeUpdates();
    const table = this.table;
    const entryLimit = (table.maxSize * 3) >>> 2;
    for (let i = 0; i < headers.length; i++) {
      const field = headers[i]!;
      const name = field[0];
      const value = field[1];
      const slot = table.slot(name);
      const info = slot === undefined ? undefined : slot.info;
      let nameIndex = info === undefined ? 0 : info.staticIndex;
      let representation: number;
      if (field[2] === true || isSensitive(info, value)) {
        representation = NEVER_INDEXED;
        if (nameIndex === 0 && slot !== undefined && slot.seq !== 0) nameIndex = table.indexOf(slot.seq);
      } else {
        if (info !== undefined && info.staticValues !== undefined) {
          const exact = info.staticValues.get(value);
          if (exact !== undefined) {
            this.writeIndexed(exact);
            continue;
          }
        }
        if (slot !== undefined && slot.seq !== 0) {
          const seq = slot.values!.get(value);
          if (seq !== undefined) {
            this.writeIndexed(table.indexOf(seq));
            continue;
          }
          if (nameIndex === 0) nameIndex = table.indexOf(slot.seq);
        }
        representation = chooseRepresentation(info, value, name.length + value.length + 32, entryLimit);
      }
      this.ensure(6);
      if (representation === INCREMENTAL) {
        this.pos = writeInteger(this.out, this.pos, nameIndex, 6, 0x40);
      } else {
        this.pos = writeInteger(this.out, this.pos, nameIndex, 4, representation === NEVER_INDEXED ? 0x10 : 0x00);
      }
      if (nameIndex === 0) this.writeString(name);
      this.writeString(value);
      if (representation === INCREMENTAL) table.add(name, value);
    }
    const block = Buffer.allocUnsafe(this.pos);
    this.out.copy(block, 0, 0, this.pos);
    return block;
  }

  private writeSizeUpdates(): void {
    const final = this.table.maxSize;
    this.ensure(12);
    if (this.pendingLowest < final) this.pos = writeInteger(this.out, this.pos, this.pendingLowest, 5, 0x20);
    this.pos = writeInteger(this.out, this.pos, final, 5, 0x20);
    this.pendingLowest = -1;
  }

  private writeIndexed(index: number): void {
    this.ensure(6);
    this.pos = writeInteger(this.out, this.pos, index, 7, 0x80);
  }

  private writeString(str: string): void {
    const length = str.length;
    if (this.huffman === "shorter" && length < 0x7f) {
      // One pass: code it in place behind a one-byte length, fall back to raw if not shorter.
      this.ensure(1 + length * 4);
      const start = this.pos + 1;
      const end = writeHuffman(this.out, start, str);
      if (end < 0) throw notLatin1();
      if (end - start < length) {
        this.out[this.pos] = 0x80 | (end - start);
        this.pos = end;
        return;
      }
      this.out[this.pos] = length;
      this.pos = this.writeRaw(start, str);
      return;
    }
    const huffmanLength = huffmanEncodedLength(str); // also rejects chars above U+00FF
    const huffman = this.huffman === "shorter" ? huffmanLength < length : this.huffman === "always";
    const n = huffman ? huffmanLength : length;
    this.ensure(6 + n);
    const pos = writeInteger(this.out, this.pos, n, 7, huffman ? 0x80 : 0);
    this.pos = huffman ? writeHuffman(this.out, pos, str) : this.writeRaw(pos, str);
  }

  /** Writes latin1 `str` at `pos` (room made by the caller) and returns the end. */
  private writeRaw(pos: number, str: string): number {
    const out = this.out;
    const length = str.length;
    if (length < 24) {
      for (let i = 0; i < length; i++) out[pos + i] = str.charCodeAt(i);
      return pos + length;
    }
    return pos + out.latin1Write(str, pos, length);
  }

  private ensure(room: number): void {
    if (this.pos + room <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + room)) as Latin1Buffer;
    this.out.copy(bigger, 0, 0, this.pos);
    this.out = bigger;
  }
}

function notLatin1(): HpackError {
  return new HpackError("ZP_HPACK_INVALID_INPUT", "header strings must only hold chars U+0000..U+00FF");
}

function checkSize(size: number): number {
  if (!Number.isInteger(size) || size < 0 || size > MAX_INTEGER) {
    throw new HpackError("ZP_HPACK_INVALID_INPUT", `table size must be an integer in 0..2^32-1, got ${size}`);
  }
  return size;
}
