import { INTERNED_NAMES, internId } from "./header-names.js";
import { SHORT_STRING, equalsIgnoreCase, latin1 } from "./latin1.js";

const EMPTY = new Uint8Array(0);
/** Above this many short strings to make, one decode of the whole section and cuts win. */
const DECODE_ABOVE = 10;

/**
 * A zero-copy view of a field section (the headers of a message, or its trailers).
 * Field `i` has its name at `buf[offsets[4i] .. offsets[4i+1])` and its value (without
 * surrounding whitespace) at `buf[offsets[4i+2] .. offsets[4i+3])`.
 *
 * Strings are made on demand: short ones are built in JS, and the first getter that
 * needs a long one (or many) decodes the whole section with a single latin1 call, after
 * which names and values are cut out of that string; common names are interned
 * constants. The strings are exactly what decoding each field's bytes as latin1 gives.
 *
 * The view is valid while the callback that received it runs: the parser reuses it for
 * the next message, and `buf` may be the caller's chunk or the parser's own buffer.
 */
export class FieldsView {
  /** Number of fields. */
  count = 0;
  /** `[nameStart, nameEnd, valueStart, valueEnd]` per field, in wire order. */
  readonly offsets: Int32Array;
  /**
   * Per field, the id of its interned name or -1 (the parser fills it while it scans;
   * it describes the fields only after {@link FieldsView.setSection}).
   */
  readonly nameIds: Int16Array;
  private bytes: Uint8Array = EMPTY;
  /** Whether `nameIds` describes the current fields. */
  private idsValid = false;
  /** The section's bytes, `buf[from..to)`; `to` is -1 when unknown (then the fields' span is used). */
  private from = 0;
  private to = -1;
  /** `buf[from..to)` decoded as latin1, or `null` until a string is asked for. */
  private decoded: string | null = null;

  constructor(maxFields: number) {
    this.offsets = new Int32Array(maxFields * 4);
    this.nameIds = new Int16Array(maxFields);
  }

  /** The bytes the offsets point into. Setting it forgets strings decoded before. */
  get buf(): Uint8Array {
    return this.bytes;
  }

  set buf(buf: Uint8Array) {
    this.bytes = buf;
    this.to = -1;
    this.decoded = null;
    this.idsValid = false;
  }

  /**
   * Points the view at a new section held in `buf[start..end)`, with `offsets`, `count`
   * and `nameIds` filled in (the parser calls this for every head and trailer section),
   * and forgets strings decoded before.
   */
  setSection(buf: Uint8Array, start: number, end: number): void {
    this.bytes = buf;
    this.from = start;
    this.to = end;
    this.decoded = null;
    this.idsValid = true;
  }

  /** Whether `buf[start..end)` reads exactly `text` (latin1), compared without making a string. */
  equals(start: number, end: number, text: string): boolean {
    if (end - start !== text.length) return false;
    const b = this.bytes;
    for (let i = 0; i < text.length; i++) if (b[start + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  /**
   * `buf[start..end)` as a latin1 string. Within the section this is a cut of the section
   * decoded once, so asking for many strings costs one native decode.
   */
  text(start: number, end: number): string {
    if (start >= end) return "";
    // Before the section is decoded, a short string is cheaper built on its own.
    if (this.decoded === null && end - start <= SHORT_STRING) return latin1(this.bytes, start, end);
    const decoded = this.decode();
    const from = this.from;
    // Ranges outside the section (an index beyond `count`, hand-made offsets) are decoded alone.
    if (start < from || end > this.to) return latin1(this.bytes, start, end);
    return decoded.substring(start - from, end - from);
  }

  /** The name of field `i` as written on the wire (original case). */
  name(i: number): string {
    const s = this.offsets[i * 4]!;
    const e = this.offsets[i * 4 + 1]!;
    const id = this.idsValid && i < this.count ? this.nameIds[i]! : internId(this.bytes, s, e);
    return id >= 0 ? INTERNED_NAMES[id]! : this.text(s, e);
  }

  /** The value of field `i`, without leading and trailing whitespace. */
  value(i: number): string {
    return this.text(this.offsets[i * 4 + 2]!, this.offsets[i * 4 + 3]!);
  }

  /** Field `i`'s value as a subarray of `buf` (no copy). */
  valueBytes(i: number): Uint8Array {
    return this.bytes.subarray(this.offsets[i * 4 + 2]!, this.offsets[i * 4 + 3]!);
  }

  /** Whether the name of field `i` equals `lowerName` (which must be lower-case), ignoring case. */
  nameIs(i: number, lowerName: string): boolean {
    return equalsIgnoreCase(this.bytes, this.offsets[i * 4]!, this.offsets[i * 4 + 1]!, lowerName);
  }

  /** The first value of the field called `name` (any case), or `undefined`. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (let i = 0; i < this.count; i++) if (this.nameIs(i, lower)) return this.value(i);
    return undefined;
  }

  /** Every value of the field called `name` (any case), in order. */
  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) if (this.nameIs(i, lower)) out.push(this.value(i));
    return out;
  }

  /** All fields as `[name, value]` pairs (allocates strings). */
  toArray(): [string, string][] {
    const out: [string, string][] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = [this.name(i), this.value(i)];
    return out;
  }

  /**
   * All fields as one flat array `[name0, value0, name1, value1, ...]`, the shape of
   * Node's `rawHeaders`. Pass `out` to reuse an array across messages: it is overwritten
   * and its length set to `2 * count`.
   */
  strings(out?: string[]): string[] {
    const n = this.count;
    const arr = out ?? new Array<string>(n * 2);
    if (arr.length !== n * 2) arr.length = n * 2;
    const o = this.offsets;
    if (!this.idsValid) {
      for (let i = 0; i < n; i++) {
        arr[i * 2] = this.name(i);
        arr[i * 2 + 1] = this.value(i);
      }
      return arr;
    }
    // Set by the parser: every offset lies in the section and every name id is known.
    const ids = this.nameIds;
    const bytes = this.bytes;
    if (this.decoded === null && !this.worthDecoding()) {
      for (let i = 0; i < n; i++) {
        const id = ids[i]!;
        arr[i * 2] = id >= 0 ? INTERNED_NAMES[id]! : latin1(bytes, o[i * 4]!, o[i * 4 + 1]!);
        arr[i * 2 + 1] = latin1(bytes, o[i * 4 + 2]!, o[i * 4 + 3]!);
      }
      return arr;
    }
    const decoded = this.decode();
    const from = this.from;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      arr[i * 2] = id >= 0 ? INTERNED_NAMES[id]! : decoded.substring(o[i * 4]! - from, o[i * 4 + 1]! - from);
      arr[i * 2 + 1] = decoded.substring(o[i * 4 + 2]! - from, o[i * 4 + 3]! - from);
    }
    return arr;
  }

  /**
   * Whether making every string is cheaper by decoding the section once and cutting it
   * (one native call, then a cheap cut per string) than by building each string in JS:
   * so when some string is long, or there are many.
   */
  private worthDecoding(): boolean {
    const o = this.offsets;
    const ids = this.nameIds;
    let strings = 0;
    for (let i = 0; i < this.count; i++) {
      if (ids[i]! < 0) {
        if (o[i * 4 + 1]! - o[i * 4]! > SHORT_STRING) return true;
        strings++;
      }
      if (o[i * 4 + 3]! - o[i * 4 + 2]! > SHORT_STRING) return true;
      strings++;
    }
    return strings > DECODE_ABOVE;
  }

  /** The section decoded as latin1 (once per section). */
  private decode(): string {
    let decoded = this.decoded;
    if (decoded === null) {
      if (this.to < 0) this.spanFields();
      decoded = this.decoded = latin1(this.bytes, this.from, this.to);
    }
    return decoded;
  }

  /** Without a known section, spans the fields from the first name to the last value. */
  private spanFields(): void {
    const n = this.count;
    this.from = n > 0 ? this.offsets[0]! : 0;
    this.to = n > 0 ? this.offsets[n * 4 - 1]! : 0;
  }
}
