import { equalsIgnoreCase, latin1 } from "./latin1.js";

/**
 * A zero-copy view of a field section (the headers of a message, or its trailers).
 * Field `i` has its name at `buf[offsets[4i] .. offsets[4i+1])` and its value (without
 * surrounding whitespace) at `buf[offsets[4i+2] .. offsets[4i+3])`.
 *
 * The view is valid while the callback that received it runs: the parser reuses it for
 * the next message, and `buf` may be the caller's chunk or the parser's own buffer.
 */
export class FieldsView {
  /** The bytes the offsets point into. */
  buf: Uint8Array = new Uint8Array(0);
  /** Number of fields. */
  count = 0;
  /** `[nameStart, nameEnd, valueStart, valueEnd]` per field, in wire order. */
  readonly offsets: Int32Array;

  constructor(maxFields: number) {
    this.offsets = new Int32Array(maxFields * 4);
  }

  /** The name of field `i` as written on the wire (original case). */
  name(i: number): string {
    return latin1(this.buf, this.offsets[i * 4]!, this.offsets[i * 4 + 1]!);
  }

  /** The value of field `i`, without leading and trailing whitespace. */
  value(i: number): string {
    return latin1(this.buf, this.offsets[i * 4 + 2]!, this.offsets[i * 4 + 3]!);
  }

  /** Field `i`'s value as a subarray of `buf` (no copy). */
  valueBytes(i: number): Uint8Array {
    return this.buf.subarray(this.offsets[i * 4 + 2]!, this.offsets[i * 4 + 3]!);
  }

  /** Whether the name of field `i` equals `lowerName` (which must be lower-case), ignoring case. */
  nameIs(i: number, lowerName: string): boolean {
    return equalsIgnoreCase(this.buf, this.offsets[i * 4]!, this.offsets[i * 4 + 1]!, lowerName);
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
}
