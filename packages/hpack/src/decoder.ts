import { Buffer } from "node:buffer";
import { DynamicTable } from "./dynamic-table.js";
import { isValidFieldName, isValidFieldValue } from "./header-validation.js";
import { HpackError } from "./hpack-error.js";
import { decodeHuffmanInto, maxHuffmanDecodedLength } from "./huffman-decode.js";
import { MAX_INTEGER, readInteger } from "./integer.js";
import { STATIC_NAMES, STATIC_TABLE_LENGTH, STATIC_VALUES } from "./static-table.js";
import type { HeaderPair } from "./types.js";

/** Options of a {@link Decoder}. */
export interface DecoderOptions {
  /**
   * SETTINGS_HEADER_TABLE_SIZE this endpoint advertised: the largest dynamic table the peer's
   * encoder may ask for (default 4096). Change it later with {@link Decoder.setMaxTableSize}.
   */
  maxTableSize?: number;
  /**
   * Largest header list accepted, counted as in SETTINGS_MAX_HEADER_LIST_SIZE (sum of
   * name + value + 32 per field; default 65536). A larger list raises
   * `ZP_HPACK_HEADER_LIST_TOO_LARGE` after the block was decoded, with the table intact.
   */
  maxHeaderListSize?: number;
  /** Longest name or value accepted, in bytes after decoding (default 65536). */
  maxStringLength?: number;
  /**
   * Check literal names and values against RFC 9113 §8.2.1 (lowercase token names, no
   * NUL/CR/LF, no surrounding whitespace in values). Default false: bytes are decoded as is.
   */
  validate?: boolean;
}

/** Buffer's latin1 fast path; present on every Node Buffer though not in its typings. */
interface Latin1Buffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

function asBuffer(bytes: Uint8Array): Latin1Buffer {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as Latin1Buffer;
}

function checkLimit(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INTEGER) {
    throw new RangeError(`${what} must be an integer in 0..2^32-1, got ${value}`);
  }
  return value;
}

/**
 * An HPACK decoder (RFC 7541): one per connection direction, fed each complete header block
 * (HEADERS plus CONTINUATION payloads) in the order received.
 *
 * Any malformed block throws an {@link HpackError}; when its `compressionError` is true the
 * decoder's state is lost and the connection must end.
 */
export class Decoder {
  private readonly table: DynamicTable;
  private protocolMaxSize: number;
  /** Lowest SETTINGS size set below the table's size since the last block, or -1. */
  private pendingLimit = -1;
  private readonly maxHeaderListSize: number;
  private readonly maxStringLength: number;
  private readonly validate: boolean;
  private readonly int = new Float64Array(1);
  private scratch: Latin1Buffer;
  private buf: Latin1Buffer;
  private pos = 0;
  private end = 0;
  private invalid: HpackError | undefined = undefined;

  constructor(options: DecoderOptions = {}) {
    this.protocolMaxSize = checkLimit("maxTableSize", options.maxTableSize ?? 4096);
    this.table = new DynamicTable(this.protocolMaxSize);
    this.maxHeaderListSize = checkLimit("maxHeaderListSize", options.maxHeaderListSize ?? 65536);
    this.maxStringLength = checkLimit("maxStringLength", options.maxStringLength ?? 65536);
    this.validate = options.validate ?? false;
    this.scratch = Buffer.allocUnsafe(1024) as Latin1Buffer;
    this.buf = this.scratch;
  }

  /**
   * Sets the protocol maximum table size (the SETTINGS_HEADER_TABLE_SIZE this endpoint
   * advertised, once the peer acknowledged it). When it is below the current table size, the
   * table shrinks now and the next block must start with a size update at or below it.
   */
  setMaxTableSize(size: number): void {
    checkLimit("maxTableSize", size);
    this.protocolMaxSize = size;
    if (size < this.table.maxSize) {
      this.table.setMaxSize(size);
      this.pendingLimit = this.pendingLimit < 0 ? size : Math.min(this.pendingLimit, size);
    }
  }

  /** Current size of the dynamic table in octets (entries count name + value + 32). */
  get tableSize(): number {
    return this.table.size;
  }

  /** Current maximum size of the dynamic table, as last set by the peer's size updates. */
  get maxTableSize(): number {
    return this.table.maxSize;
  }

  /**
   * Decodes one complete header block into `[name, value]` pairs (latin1 strings), in order.
   * If `sensitive` is given, it is emptied and filled in parallel: `sensitive[i]` is true when
   * field `i` was sent never-indexed (and must stay so when forwarded).
   */
  decode(block: Uint8Array, sensitive?: boolean[]): HeaderPair[] {
    const buf = asBuffer(block);
    this.buf = buf;
    this.pos = 0;
    this.end = buf.length;
    this.invalid = undefined;
    if (sensitive !== undefined) sensitive.length = 0;
    const headers: HeaderPair[] = [];
    try {
      this.readSizeUpdates();
      let listSize = 0;
      const limit = this.maxHeaderListSize;
      const table = this.table;
      while (this.pos < this.end) {
        const b = buf[this.pos]!;
        let name: string;
        let value: string;
        let neverIndexed = false;
        if (b >= 0x80) {
          // Indexed field (§6.1).
          let index = b & 0x7f;
          if (index < 0x7f) this.pos++;
          else index = this.readInteger(7);
          if (index <= STATIC_TABLE_LENGTH) {
            if (index === 0) throw new HpackError("ZP_HPACK_BAD_INDEX", "index 0", this.pos - 1);
            name = STATIC_NAMES[index]!;
            value = STATIC_VALUES[index]!;
          } else {
            const i = index - STATIC_TABLE_LENGTH - 1;
            if (i >= table.count) throw this.badIndex(index);
            name = table.nameAt(i);
            value = table.valueAt(i);
          }
        } else if (b >= 0x40) {
          // Literal with incremental indexing (§6.2.1).
          const index = this.readInteger(6);
          name = index === 0 ? this.readString(true) : this.nameAt(index);
          value = this.readString(false);
          table.add(name, value);
        } else if (b >= 0x20) {
          throw new HpackError("ZP_HPACK_TABLE_SIZE_UPDATE_AFTER_HEADER", "dynamic table size update after a header field", this.pos);
        } else {
          // Literal without indexing (0000) or never indexed (0001) (§6.2.2, §6.2.3).
          neverIndexed = b >= 0x10;
          const index = this.readInteger(4);
          name = index === 0 ? this.readString(true) : this.nameAt(index);
          value = this.readString(false);
        }
        listSize += name.length + value.length + 32;
        // Past the limit, keep decoding (the table must follow the peer) but keep nothing.
        if (listSize <= limit) {
          headers.push([name, value]);
          if (sensitive !== undefined) sensitive.push(neverIndexed);
        }
      }
      if (listSize > limit) {
        throw new HpackError("ZP_HPACK_HEADER_LIST_TOO_LARGE", `header list size ${listSize} exceeds ${limit}`);
      }
      if (this.invalid !== undefined) throw this.invalid;
      return headers;
    } finally {
      this.buf = this.scratch; // do not keep the caller's block alive
    }
  }

  /** Reads the size updates allowed at the start of a block and enforces a required one. */
  private readSizeUpdates(): void {
    let lowest = Infinity;
    while (this.pos < this.end && (this.buf[this.pos]! & 0xe0) === 0x20) {
      const at = this.pos;
      const size = this.readInteger(5);
      if (size > this.protocolMaxSize) {
        throw new HpackError(
          "ZP_HPACK_TABLE_SIZE_UPDATE_TOO_LARGE",
          `dynamic table size update to ${size} above the limit ${this.protocolMaxSize}`,
          at,
        );
      }
      this.table.setMaxSize(size);
      if (size < lowest) lowest = size;
    }
    if (this.pendingLimit >= 0) {
      if (lowest > this.pendingLimit) {
        throw new HpackError(
          "ZP_HPACK_TABLE_SIZE_UPDATE_MISSING",
          `the block must start with a dynamic table size update to at most ${this.pendingLimit}`,
          0,
        );
      }
      this.pendingLimit = -1;
    }
  }

  private readInteger(prefixBits: number): number {
    this.pos = readInteger(this.buf, this.pos, this.end, prefixBits, this.int);
    return this.int[0]!;
  }

  private nameAt(index: number): string {
    if (index <= STATIC_TABLE_LENGTH) return STATIC_NAMES[index]!;
    const i = index - STATIC_TABLE_LENGTH - 1;
    if (i >= this.table.count) throw this.badIndex(index);
    return this.table.nameAt(i);
  }

  private badIndex(index: number): HpackError {
    return new HpackError(
      "ZP_HPACK_BAD_INDEX",
      `index ${index} beyond the static table and ${this.table.count} dynamic entries`,
      this.pos - 1,
    );
  }

  /** Reads a string literal (§5.2) at `pos`. */
  private readString(isName: boolean): string {
    if (this.pos >= this.end) throw new HpackError("ZP_HPACK_TRUNCATED", "header block ends before a string", this.pos);
    const huffman = this.buf[this.pos]! >= 0x80;
    const length = this.readInteger(7);
    const start = this.pos;
    const max = this.maxStringLength;
    // Every Huffman code is at most 30 bits: over 4 coded bytes per decoded byte cannot fit the limit.
    if (huffman ? length > max * 4 + 4 : length > max) {
      throw new HpackError("ZP_HPACK_STRING_TOO_LONG", `string of ${length} bytes exceeds ${max}`, start);
    }
    if (length > this.end - start) throw new HpackError("ZP_HPACK_TRUNCATED", "header block ends inside a string", this.end);
    let str: string;
    if (!huffman) {
      str = this.buf.latin1Slice(start, start + length);
    } else {
      const room = maxHuffmanDecodedLength(length);
      if (room > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(room, this.scratch.length * 2)) as Latin1Buffer;
      const n = decodeHuffmanInto(this.buf, start, start + length, this.scratch);
      if (n > max) throw new HpackError("ZP_HPACK_STRING_TOO_LONG", `string of ${n} bytes exceeds ${max}`, start);
      str = this.scratch.latin1Slice(0, n);
    }
    this.pos = start + length;
    if (this.validate && this.invalid === undefined && !(isName ? isValidFieldName(str) : isValidFieldValue(str))) {
      this.invalid = new HpackError(
        isName ? "ZP_HPACK_INVALID_HEADER_NAME" : "ZP_HPACK_INVALID_HEADER_VALUE",
        `invalid header ${isName ? "name" : "value"} ${JSON.stringify(str.slice(0, 64))}`,
        start,
      );
    }
    return str;
  }
}
