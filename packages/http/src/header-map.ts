import { Buffer } from "node:buffer";
import { HttpError, HttpErrorType, preview } from "./http-error.js";
import { commonName, isValidHeaderName, isValidHeaderValue, keyTag, lookupKey, lowercaseName } from "./header-name.js";
import { copyBytes, copyRange, readLatin1, writeLatin1 } from "./latin1.js";
import type { HeaderKeySet } from "./header-key-set.js";
import { equalsLowercase } from "./list-tokens.js";

const NO_BYTES = new Uint8Array(0);
const NO_OFFSETS: readonly number[] = [];

/** A field held as strings. Never changed once made: clones share them. */
interface Field {
  /** The name as received or given. */
  readonly name: string;
  /** The lowercase name. */
  readonly key: string;
  readonly value: string;
  /** A small-integer digest of `key` (see `keyTag`), compared before the strings. */
  readonly tag: number;
  /** Wire bytes of a name from the common-name table, so writing it reads no string chars. */
  readonly bytes: Uint8Array | undefined;
  /** The whole `name: value\r\n` as bytes, for a {@link PreparedField}'s field. */
  readonly line: Uint8Array | undefined;
}

/** The field list of every map that has none of its own yet; never written to. */
const NO_FIELDS: Field[] = [];

function makeField(name: string, value: string): Field {
  const common = commonName(name);
  if (common !== undefined) return { name, key: common.key, value, tag: common.tag, bytes: common.bytes, line: undefined };
  const key = lowercaseName(name);
  return { name, key, value, tag: keyTag(key), bytes: undefined, line: undefined };
}

/** Writes `name: value\r\n` of a string field at `at`; returns the offset after it. */
function putField(buf: Buffer, at: number, f: Field): number {
  const bytes = f.bytes;
  at = bytes !== undefined ? copyBytes(buf, bytes, at) : writeLatin1(buf, f.name, at);
  buf[at++] = 0x3a; // ':'
  buf[at++] = 0x20;
  at = writeLatin1(buf, f.value, at);
  buf[at++] = 0x0d;
  buf[at++] = 0x0a;
  return at;
}

/**
 * A header field made once and added to many maps ({@link HeaderMap.appendPrepared},
 * {@link HeaderMap.setPrepared}): validated once, with its lowercase key and its wire bytes
 * (`name: value\r\n`) worked out once, so adding it allocates nothing and writing it is
 * one copy. For fields a proxy adds to every request, such as `X-Forwarded-Proto: https`.
 *
 * @example
 * ```ts
 * const viaHttps = new PreparedField("X-Forwarded-Proto", "https");
 * headers.setPrepared(viaHttps);
 * ```
 */
export class PreparedField {
  /** @internal */
  readonly field: Field;

  /** @throws HttpError `ZP_HTTP_INVALID_HEADER` for an invalid name or value. */
  constructor(name: string, value: string) {
    checkName(name);
    checkValue(name, value);
    const f = makeField(name, value);
    const line = Buffer.allocUnsafeSlow(name.length + value.length + 4);
    putField(line, 0, f);
    this.field = { name: f.name, key: f.key, value: f.value, tag: f.tag, bytes: f.bytes, line };
  }

  /** The name as given. */
  get name(): string {
    return this.field.name;
  }

  /** The value. */
  get value(): string {
    return this.field.value;
  }
}

/** What {@link HeaderMap.from} accepts: `[name, value]` pairs, or an object of values or value lists. */
export type HeaderInit = Iterable<readonly [string, string]> | Readonly<Record<string, string | readonly string[]>>;

function checkName(name: string): void {
  if (!isValidHeaderName(name)) throw new HttpError(HttpErrorType.InvalidHeader, `invalid header name ${preview(name)}`);
}

function checkValue(name: string, value: string): void {
  if (!isValidHeaderValue(value)) {
    throw new HttpError(HttpErrorType.InvalidHeader, `invalid value for header ${preview(name)}: ${preview(value)}`);
  }
}

/**
 * An ordered list of header fields that keeps each name exactly as it was received or
 * given (for forwarding) and looks names up case-insensitively.
 *
 * - Fields keep wire order; a name may occur more than once (multi-value).
 * - {@link HeaderMap.get} returns the first value; {@link HeaderMap.getJoined} joins all
 *   values with `", "`, which RFC 9110 §5.3 allows for list-valued fields (never for
 *   `Set-Cookie`: use {@link HeaderMap.getAll}).
 * - `set`/`append` validate names and values (RFC 9110 token / field-value) and throw an
 *   {@link HttpError} `ZP_INVALID_HTTP_HEADER`; the `*Unchecked` variants trust the caller
 *   (a parser that already validated).
 * - Values are latin1 strings: one char per wire byte, written back unchanged.
 *
 * Lookups scan the field records comparing a small-integer key digest first and the strings
 * only where it matches: for the few dozen fields of a real message this is about as fast as
 * hashing, and building the map costs one record and one push per field, not a hash insert.
 *
 * A map made by {@link HeaderMap.fromWire} keeps the parsed fields as byte ranges and makes
 * no string until one is asked for: lookups compare bytes, `remove` drops ranges, appended
 * fields go after them, and writing copies the bytes. Anything else (iteration, `keyAt`,
 * replacing a received field) turns them into strings once.
 *
 * @example
 * ```ts
 * const h = new HeaderMap().append("Accept", "text/html").append("accept", "application/json");
 * h.get("ACCEPT"); // "text/html"
 * h.getJoined("accept"); // "text/html, application/json"
 * [...h]; // [["Accept", "text/html"], ["accept", "application/json"]]
 * ```
 */
export class HeaderMap implements Iterable<[string, string]> {
  /**
   * The fields held as strings, in wire order. One list for all (not one per part) and none
   * until the first: a map made from the wire and given a field or two allocates little.
   */
  private fields: Field[] = NO_FIELDS;
  /**
   * Fields still held as wire bytes (see {@link HeaderMap.fromWire}); they come before the
   * string fields above. Field `i < rawCount` has its name at `rawBuf[rawOffsets[4i] ..
   * rawOffsets[4i+1])` and its value at `rawBuf[rawOffsets[4i+2] .. rawOffsets[4i+3])`.
   */
  private rawBuf: Uint8Array = NO_BYTES;
  private rawOffsets: readonly number[] = NO_OFFSETS;
  private rawCount = 0;

  /**
   * A map of fields held as byte ranges of `buf` (what a parser finds), read as latin1 and
   * not validated: field `i` has its name at `buf[offsets[4i] .. offsets[4i+1])` and its
   * value at `buf[offsets[4i+2] .. offsets[4i+3])`. Neither is copied, and the map never
   * writes to them (maps made from the same arrays, and clones, share them): they must not
   * change afterwards (copy a reused read buffer, or a parser's reused offsets, first).
   */
  static fromWire(buf: Uint8Array, offsets: readonly number[], count: number): HeaderMap {
    const map = new HeaderMap();
    if (count === 0) return map;
    map.rawBuf = buf;
    map.rawOffsets = offsets;
    map.rawCount = count;
    return map;
  }

  /** A map of the given fields, validated, in the given order. */
  static from(init: HeaderInit): HeaderMap {
    const map = new HeaderMap();
    if (Symbol.iterator in init) {
      for (const [name, value] of init as Iterable<readonly [string, string]>) map.append(name, value);
      return map;
    }
    for (const [name, value] of Object.entries(init as Record<string, string | readonly string[]>)) {
      if (typeof value === "string") map.append(name, value);
      else for (const v of value) map.append(name, v);
    }
    return map;
  }

  /**
   * A map from a flat `[name, value, name, value, ...]` list, the shape of `node:http`'s
   * `rawHeaders`. Validates unless `validate` is false.
   */
  static fromRawHeaders(raw: readonly string[], validate = true): HeaderMap {
    const map = new HeaderMap();
    if (raw.length % 2 !== 0) throw new HttpError(HttpErrorType.InvalidHeader, "raw header list has an odd length");
    for (let i = 0; i < raw.length; i += 2) {
      if (validate) map.append(raw[i]!, raw[i + 1]!);
      else map.appendUnchecked(raw[i]!, raw[i + 1]!);
    }
    return map;
  }

  /** The number of fields (a name with three values counts three). */
  get size(): number {
    return this.rawCount + this.fields.length;
  }

  /** The index of the first field named `name` (any case) at `from` or later, or -1. */
  indexOf(name: string, from = 0): number {
    const key = lookupKey(name);
    return this.indexOfField(key, keyTag(key), from);
  }

  /**
   * Which names of `set` occur, in one pass over the fields: bit `k` of the result is set
   * when a field is named `set.keys[k]`.
   */
  presentKeys(set: HeaderKeySet): number {
    let mask = 0;
    for (let i = 0, n = this.size; i < n; i++) {
      const k = this.keyPosition(i, set);
      if (k >= 0) mask |= 1 << k;
    }
    return mask;
  }

  /**
   * Which name of `set` each field has, in one pass: `out[i]` becomes the position in
   * `set.keys` of field `i`'s name, or -1 (for `i < size`). Returns the mask
   * {@link HeaderMap.presentKeys} returns.
   */
  matchKeys(set: HeaderKeySet, out: number[]): number {
    let mask = 0;
    for (let i = 0, n = this.size; i < n; i++) {
      const k = this.keyPosition(i, set);
      out[i] = k;
      if (k >= 0) mask |= 1 << k;
    }
    return mask;
  }

  /** Whether a field named `name` (any case) is present. */
  has(name: string): boolean {
    return this.indexOf(name) !== -1;
  }

  /** The value of the first field named `name` (any case), or undefined. */
  get(name: string): string | undefined {
    const i = this.indexOf(name);
    return i === -1 ? undefined : this.valueAt(i);
  }

  /**
   * All values of `name` joined with `", "` in wire order (RFC 9110 §5.3), or undefined
   * when absent. Not meaningful for `Set-Cookie`.
   */
  getJoined(name: string): string | undefined {
    let i = this.indexOf(name);
    if (i === -1) return undefined;
    let joined = this.valueAt(i)!;
    while ((i = this.indexOf(name, i + 1)) !== -1) joined = `${joined}, ${this.valueAt(i)}`;
    return joined;
  }

  /** All values of `name` (any case) in wire order; empty when absent. */
  getAll(name: string): string[] {
    const out: string[] = [];
    for (let i = this.indexOf(name); i !== -1; i = this.indexOf(name, i + 1)) out.push(this.valueAt(i)!);
    return out;
  }

  /**
   * Sets `name` to the single `value`: the first field with that name takes the new name
   * and value in its place, later ones are removed; absent names are appended. Validates.
   */
  set(name: string, value: string): this {
    checkName(name);
    checkValue(name, value);
    return this.setUnchecked(name, value);
  }

  /** {@link HeaderMap.set} without validation, for names and values known to be valid. */
  setUnchecked(name: string, value: string): this {
    return this.setField(makeField(name, value));
  }

  /** {@link HeaderMap.setUnchecked} with a field prepared once ({@link PreparedField}). */
  setPrepared(prepared: PreparedField): this {
    return this.setField(prepared.field);
  }

  /** {@link HeaderMap.appendUnchecked} with a field prepared once ({@link PreparedField}): allocates nothing. */
  appendPrepared(prepared: PreparedField): this {
    return this.pushField(prepared.field);
  }

  /** Puts `field` in the place of the first of its name, removing the others (or appends it). */
  private setField(field: Field): this {
    let first = this.indexOfField(field.key, field.tag, 0);
    if (first === -1) return this.pushField(field);
    if (first < this.rawCount) {
      // a received field is replaced in place: the fields become strings first
      this.materialize();
      first = this.indexOfField(field.key, field.tag, 0);
    }
    // fields held as bytes come first: none of them has this name
    const i = first - this.rawCount;
    this.fields[i] = field;
    this.removeFrom(field.key, field.tag, i + 1);
    return this;
  }

  private pushField(field: Field): this {
    if (this.fields === NO_FIELDS) this.fields = [field];
    else this.fields.push(field);
    return this;
  }

  /** {@link HeaderMap.indexOf} for a lowercase key and its tag. */
  private indexOfField(key: string, tag: number, from: number): number {
    const raw = this.rawCount;
    if (from < raw) {
      const i = this.rawIndexOf(key, from);
      if (i !== -1) return i;
      from = raw;
    }
    if (this.fields.length === 0) return -1;
    const i = this.indexOfKey(key, tag, from - raw);
    return i === -1 ? -1 : i + raw;
  }

  /** Adds a field at the end, after any with the same name. Validates. */
  append(name: string, value: string): this {
    checkName(name);
    checkValue(name, value);
    return this.appendUnchecked(name, value);
  }

  /**
   * {@link HeaderMap.append} without validation, for a parser's output.
   */
  appendUnchecked(name: string, value: string): this {
    return this.pushField(makeField(name, value));
  }

  /**
   * Appends a field whose name and value are byte ranges of `buf` (as a parser finds
   * them), read as latin1, without validation.
   */
  appendBytes(buf: Uint8Array, nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): this {
    return this.appendUnchecked(readLatin1(buf, nameStart, nameEnd), readLatin1(buf, valueStart, valueEnd));
  }

  /** Removes every field named `name` (any case) and returns how many were removed. */
  remove(name: string): number {
    const key = lookupKey(name);
    const removed = this.rawCount > 0 ? this.rawRemove(key) : 0;
    return this.fields.length === 0 ? removed : removed + this.removeFrom(key, keyTag(key), 0);
  }

  /** Removes field `index` (no-op outside `0 .. size - 1`); the others keep their order. */
  removeAt(index: number): void {
    const raw = this.rawCount;
    if (index < 0) return;
    if (index >= raw) {
      if (index - raw < this.fields.length) this.fields.splice(index - raw, 1);
      return;
    }
    if (index === raw - 1) {
      // the last one (where servers put Connection): the shared offsets need no copy
      this.rawCount = index;
      return;
    }
    // the offsets may be shared (a clone, the head they came from): a new array, made at its size
    const o = this.rawOffsets;
    const cut = 4 * index;
    const kept = new Array<number>(4 * (raw - 1));
    for (let i = 0; i < cut; i++) kept[i] = o[i]!;
    for (let i = cut + 4; i < 4 * raw; i++) kept[i - 4] = o[i]!;
    this.rawOffsets = kept;
    this.rawCount = raw - 1;
  }

  /** Removes every field. */
  clear(): void {
    this.rawBuf = NO_BYTES;
    this.rawOffsets = NO_OFFSETS;
    this.rawCount = 0;
    this.fields = NO_FIELDS;
  }

  /** The name of field `index` as received. */
  nameAt(index: number): string | undefined {
    const raw = this.rawCount;
    if (index < raw && index >= 0) return readLatin1(this.rawBuf, this.rawOffsets[4 * index]!, this.rawOffsets[4 * index + 1]!);
    return this.fields[index - raw]?.name;
  }

  /** The lowercase key of field `index`. */
  keyAt(index: number): string | undefined {
    if (this.rawCount > 0) this.materialize();
    return this.fields[index]?.key;
  }

  /** The value of field `index`. */
  valueAt(index: number): string | undefined {
    const raw = this.rawCount;
    if (index < raw && index >= 0) return readLatin1(this.rawBuf, this.rawOffsets[4 * index + 2]!, this.rawOffsets[4 * index + 3]!);
    return this.fields[index - raw]?.value;
  }

  /**
   * Whether the value of field `index` is `lower` ignoring ASCII case (`lower` must be
   * lowercase). A field held as wire bytes is compared as bytes: no string is made.
   */
  valueIs(index: number, lower: string): boolean {
    const raw = this.rawCount;
    if (index >= raw || index < 0) {
      const field = this.fields[index - raw];
      return field !== undefined && equalsLowercase(field.value, lower);
    }
    return this.rawRangeIs(this.rawOffsets[4 * index + 2]!, this.rawOffsets[4 * index + 3]!, lower);
  }

  /** Calls `fn(name, value, key)` for each field in wire order. */
  forEach(fn: (name: string, value: string, key: string) => void): void {
    if (this.rawCount > 0) this.materialize();
    for (const f of this.fields) fn(f.name, f.value, f.key);
  }

  /** `[name as received, value]` for each field in wire order. */
  *entries(): IterableIterator<[string, string]> {
    if (this.rawCount > 0) this.materialize();
    for (const f of this.fields) yield [f.name, f.value];
  }

  /** Same as {@link HeaderMap.entries}. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** A flat `[name, value, ...]` list in wire order, like `node:http`'s `rawHeaders`. */
  toRawHeaders(): string[] {
    if (this.rawCount > 0) this.materialize();
    const fields = this.fields;
    const out = new Array<string>(fields.length * 2);
    for (let i = 0; i < fields.length; i++) {
      out[2 * i] = fields[i]!.name;
      out[2 * i + 1] = fields[i]!.value;
    }
    return out;
  }

  /** An independent copy. */
  clone(): HeaderMap {
    const copy = new HeaderMap();
    // fields are never changed, only replaced: the copy shares them
    if (this.fields.length > 0) copy.fields = this.fields.slice();
    if (this.rawCount > 0) {
      // the bytes and offsets are never written to: the copy shares them
      copy.rawBuf = this.rawBuf;
      copy.rawOffsets = this.rawOffsets;
      copy.rawCount = this.rawCount;
    }
    return copy;
  }

  /**
   * The bytes the fields take on the HTTP/1 wire: `name: value\r\n` each; without the
   * fields whose lowercase keys are in `except`, when given.
   */
  encodedLength(except?: readonly string[]): number {
    const fields = this.fields;
    let total = 0;
    const raw = this.rawCount;
    if (raw > 0) {
      const o = this.rawOffsets;
      for (let i = 0; i < raw; i++) {
        if (except !== undefined && this.rawExcluded(i, except)) continue;
        total += o[4 * i + 1]! - o[4 * i]! + o[4 * i + 3]! - o[4 * i + 2]! + 4;
      }
    }
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (except !== undefined && except.includes(f.key)) continue;
      total += f.name.length + f.value.length + 4;
    }
    return total;
  }

  /**
   * Writes `name: value\r\n` for each field (but those whose lowercase keys are in
   * `except`, when given) at `offset` and returns the offset after the last. The buffer
   * must hold {@link HeaderMap.encodedLength} bytes from `offset`.
   */
  writeInto(buf: Buffer, offset: number, except?: readonly string[]): number {
    const fields = this.fields;
    let at = offset;
    const raw = this.rawCount;
    if (raw > 0) {
      const o = this.rawOffsets;
      const bytes = this.rawBuf;
      let i = 0;
      while (i < raw) {
        if (except !== undefined && this.rawExcluded(i, except)) {
          i++;
          continue;
        }
        // fields received as `name: value\r\n`, one after the other, are copied in one go
        let j = i;
        while (j < raw && this.rawCanonical(j) && (j === i || o[4 * j] === o[4 * j - 1]! + 2) && (j === i || except === undefined || !this.rawExcluded(j, except))) j++;
        if (j > i) {
          at = copyRange(buf, at, bytes, o[4 * i]!, o[4 * j - 1]! + 2);
          i = j;
          continue;
        }
        at = copyRange(buf, at, bytes, o[4 * i]!, o[4 * i + 1]!);
        buf[at++] = 0x3a; // ':'
        buf[at++] = 0x20;
        at = copyRange(buf, at, bytes, o[4 * i + 2]!, o[4 * i + 3]!);
        buf[at++] = 0x0d;
        buf[at++] = 0x0a;
        i++;
      }
    }
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (except !== undefined && except.includes(f.key)) continue;
      const line = f.line;
      at = line !== undefined ? copyBytes(buf, line, at) : putField(buf, at, f);
    }
    return at;
  }

  /** Turns the fields held as bytes into string fields, before the others. */
  private materialize(): void {
    const raw = this.rawCount;
    if (raw === 0) return;
    const { rawBuf: buf, rawOffsets: o } = this;
    const fields = new Array<Field>(raw);
    for (let i = 0; i < raw; i++) fields[i] = makeField(readLatin1(buf, o[4 * i]!, o[4 * i + 1]!), readLatin1(buf, o[4 * i + 2]!, o[4 * i + 3]!));
    this.fields = this.fields.length === 0 ? fields : fields.concat(this.fields);
    this.rawBuf = NO_BYTES;
    this.rawOffsets = NO_OFFSETS;
    this.rawCount = 0;
  }

  /**
   * The position in `set.keys` of field `i`'s name, or -1: the field is compared only with
   * the names of its length (as bytes while it is held as bytes).
   */
  private keyPosition(i: number, set: HeaderKeySet): number {
    const raw = this.rawCount;
    const key = i < raw ? undefined : this.fields[i - raw]!.key;
    const len = key === undefined ? this.rawOffsets[4 * i + 1]! - this.rawOffsets[4 * i]! : key.length;
    const byLength = set.byLength;
    let candidates = len < byLength.length ? byLength[len]! : 0;
    while (candidates !== 0) {
      const k = 31 - Math.clz32(candidates & -candidates);
      if (key === undefined ? this.rawNameIs(i, set.keys[k]!) : set.keys[k] === key) return k;
      candidates &= candidates - 1;
    }
    return -1;
  }

  /** Whether the bytes of field `i`'s name, ASCII-lowercased, are `key`. */
  private rawNameIs(i: number, key: string): boolean {
    return this.rawRangeIs(this.rawOffsets[4 * i]!, this.rawOffsets[4 * i + 1]!, key);
  }

  /** Whether `rawBuf[start..end)`, ASCII-lowercased, is `lower`. */
  private rawRangeIs(start: number, end: number, lower: string): boolean {
    const len = lower.length;
    if (end - start !== len) return false;
    const buf = this.rawBuf;
    for (let k = 0; k < len; k++) {
      let c = buf[start + k]!;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== lower.charCodeAt(k)) return false;
    }
    return true;
  }

  /** The first field held as bytes at `from` or later whose name is `key` (lowercase), or -1. */
  private rawIndexOf(key: string, from: number): number {
    for (let i = from; i < this.rawCount; i++) if (this.rawNameIs(i, key)) return i;
    return -1;
  }

  /** Whether field `i` lies in the bytes exactly as `name: value\r\n` would write it. */
  private rawCanonical(i: number): boolean {
    const o = this.rawOffsets;
    const buf = this.rawBuf;
    const nameEnd = o[4 * i + 1]!;
    const valueEnd = o[4 * i + 3]!;
    return o[4 * i + 2] === nameEnd + 2 && buf[nameEnd] === 0x3a && buf[nameEnd + 1] === 0x20 && buf[valueEnd] === 0x0d && buf[valueEnd + 1] === 0x0a;
  }

  private rawExcluded(i: number, except: readonly string[]): boolean {
    for (let k = 0; k < except.length; k++) if (this.rawNameIs(i, except[k]!)) return true;
    return false;
  }

  /** Drops the fields held as bytes whose name is `key`; returns how many. */
  private rawRemove(key: string): number {
    const count = this.rawCount;
    const first = this.rawIndexOf(key, 0);
    if (first === -1) return 0;
    if (first === count - 1) {
      this.rawCount = first; // the last field: the shared offsets need no copy
      return 1;
    }
    // the offsets may be shared (a clone, the head they came from): the rest go to a new array
    const o = this.rawOffsets;
    const kept: number[] = o.slice(0, 4 * first);
    for (let i = first + 1; i < count; i++) {
      if (this.rawNameIs(i, key)) continue;
      kept.push(o[4 * i]!, o[4 * i + 1]!, o[4 * i + 2]!, o[4 * i + 3]!);
    }
    this.rawOffsets = kept;
    this.rawCount = kept.length / 4;
    return count - this.rawCount;
  }

  /** The index of the first field at `from` or later whose key is `key`, or -1. */
  private indexOfKey(key: string, tag: number, from: number): number {
    const fields = this.fields;
    for (let i = from; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.tag === tag && f.key === key) return i;
    }
    return -1;
  }

  /** Removes fields with `key` at `from` or later, keeping the order of the rest. */
  private removeFrom(key: string, tag: number, from: number): number {
    let write = this.indexOfKey(key, tag, from);
    if (write === -1) return 0;
    const fields = this.fields;
    for (let read = write + 1; read < fields.length; read++) {
      const f = fields[read]!;
      if (f.tag === tag && f.key === key) continue;
      fields[write++] = f;
    }
    const removed = fields.length - write;
    fields.length = write;
    return removed;
  }
}
