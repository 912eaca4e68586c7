import { HttpError, HttpErrorType, preview } from "./http-error.js";
import { commonName, isValidHeaderName, isValidHeaderValue, keyTag, lowercaseName } from "./header-name.js";
import { copyBytes, readLatin1, writeLatin1 } from "./latin1.js";

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
 * Lookups scan a flat array of small-integer key digests, comparing strings only where a
 * digest matches: for the few dozen fields of a real message this is about as fast as
 * hashing, and building the map costs a few array pushes per field instead of a hash insert.
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
  /** Names as received, in wire order. */
  private names: string[] = [];
  /** Lowercase keys, parallel to `names`. */
  private keys: string[] = [];
  /** Values, parallel to `names`. */
  private values: string[] = [];
  /** A small-integer digest of each key (see `keyTag`), compared before the strings. */
  private tags: number[] = [];
  /** Wire bytes of names from the common-name table, so writing them reads no string chars. */
  private nameBytes: (Uint8Array | undefined)[] = [];

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
    return this.names.length;
  }

  /** The index of the first field named `name` (any case), or -1. */
  indexOf(name: string): number {
    const common = commonName(name);
    if (common !== undefined) return this.indexOfKey(common.key, common.tag, 0);
    const key = lowercaseName(name);
    return this.indexOfKey(key, keyTag(key), 0);
  }

  /** Whether a field named `name` (any case) is present. */
  has(name: string): boolean {
    return this.indexOf(name) !== -1;
  }

  /** The value of the first field named `name` (any case), or undefined. */
  get(name: string): string | undefined {
    const i = this.indexOf(name);
    return i === -1 ? undefined : this.values[i];
  }

  /**
   * All values of `name` joined with `", "` in wire order (RFC 9110 §5.3), or undefined
   * when absent. Not meaningful for `Set-Cookie`.
   */
  getJoined(name: string): string | undefined {
    let i = this.indexOf(name);
    if (i === -1) return undefined;
    const key = this.keys[i]!;
    const tag = this.tags[i]!;
    let joined = this.values[i]!;
    while ((i = this.indexOfKey(key, tag, i + 1)) !== -1) joined = `${joined}, ${this.values[i]}`;
    return joined;
  }

  /** All values of `name` (any case) in wire order; empty when absent. */
  getAll(name: string): string[] {
    const out: string[] = [];
    const first = this.indexOf(name);
    if (first === -1) return out;
    const key = this.keys[first]!;
    const tag = this.tags[first]!;
    for (let i = first; i !== -1; i = this.indexOfKey(key, tag, i + 1)) out.push(this.values[i]!);
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
    const first = this.indexOf(name);
    if (first === -1) return this.appendUnchecked(name, value);
    this.names[first] = name;
    this.values[first] = value;
    this.nameBytes[first] = commonName(name)?.bytes;
    this.removeFrom(this.keys[first]!, this.tags[first]!, first + 1);
    return this;
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
    const common = commonName(name);
    this.names.push(name);
    this.values.push(value);
    if (common !== undefined) {
      this.keys.push(common.key);
      this.tags.push(common.tag);
      this.nameBytes.push(common.bytes);
    } else {
      const key = lowercaseName(name);
      this.keys.push(key);
      this.tags.push(keyTag(key));
      this.nameBytes.push(undefined);
    }
    return this;
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
    const first = this.indexOf(name);
    return first === -1 ? 0 : this.removeFrom(this.keys[first]!, this.tags[first]!, first);
  }

  /** Removes every field. */
  clear(): void {
    this.names.length = 0;
    this.keys.length = 0;
    this.values.length = 0;
    this.tags.length = 0;
    this.nameBytes.length = 0;
  }

  /** The name of field `index` as received. */
  nameAt(index: number): string | undefined {
    return this.names[index];
  }

  /** The lowercase key of field `index`. */
  keyAt(index: number): string | undefined {
    return this.keys[index];
  }

  /** The value of field `index`. */
  valueAt(index: number): string | undefined {
    return this.values[index];
  }

  /** Calls `fn(name, value, key)` for each field in wire order. */
  forEach(fn: (name: string, value: string, key: string) => void): void {
    const { names, values, keys } = this;
    for (let i = 0; i < names.length; i++) fn(names[i]!, values[i]!, keys[i]!);
  }

  /** `[name as received, value]` for each field in wire order. */
  *entries(): IterableIterator<[string, string]> {
    const { names, values } = this;
    for (let i = 0; i < names.length; i++) yield [names[i]!, values[i]!];
  }

  /** Same as {@link HeaderMap.entries}. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** A flat `[name, value, ...]` list in wire order, like `node:http`'s `rawHeaders`. */
  toRawHeaders(): string[] {
    const { names, values } = this;
    const out = new Array<string>(names.length * 2);
    for (let i = 0; i < names.length; i++) {
      out[2 * i] = names[i]!;
      out[2 * i + 1] = values[i]!;
    }
    return out;
  }

  /** An independent copy. */
  clone(): HeaderMap {
    // slice() copies in one go; push(...spread) goes through the generic spread call
    const copy = new HeaderMap();
    copy.names = this.names.slice();
    copy.keys = this.keys.slice();
    copy.values = this.values.slice();
    copy.tags = this.tags.slice();
    copy.nameBytes = this.nameBytes.slice();
    return copy;
  }

  /** The bytes the fields take on the HTTP/1 wire: `name: value\r\n` each. */
  encodedLength(): number {
    const { names, values } = this;
    let total = 4 * names.length;
    for (let i = 0; i < names.length; i++) total += names[i]!.length + values[i]!.length;
    return total;
  }

  /**
   * Writes `name: value\r\n` for each field at `offset` and returns the offset after the
   * last. The buffer must hold {@link HeaderMap.encodedLength} bytes from `offset`.
   */
  writeInto(buf: Buffer, offset: number): number {
    const { names, values, nameBytes } = this;
    let at = offset;
    for (let i = 0; i < names.length; i++) {
      const bytes = nameBytes[i];
      at = bytes !== undefined ? copyBytes(buf, bytes, at) : writeLatin1(buf, names[i]!, at);
      buf[at++] = 0x3a; // ':'
      buf[at++] = 0x20;
      at = writeLatin1(buf, values[i]!, at);
      buf[at++] = 0x0d;
      buf[at++] = 0x0a;
    }
    return at;
  }

  /** The index of the first field at `from` or later whose key is `key`, or -1. */
  private indexOfKey(key: string, tag: number, from: number): number {
    const { keys, tags } = this;
    for (let i = from; i < tags.length; i++) {
      if (tags[i] === tag && keys[i] === key) return i;
    }
    return -1;
  }

  /** Removes fields with `key` at `from` or later, keeping the order of the rest. */
  private removeFrom(key: string, tag: number, from: number): number {
    let write = this.indexOfKey(key, tag, from);
    if (write === -1) return 0;
    const { names, keys, values, tags, nameBytes } = this;
    for (let read = write + 1; read < keys.length; read++) {
      if (tags[read] === tag && keys[read] === key) continue;
      names[write] = names[read]!;
      keys[write] = keys[read]!;
      values[write] = values[read]!;
      tags[write] = tags[read]!;
      nameBytes[write] = nameBytes[read];
      write++;
    }
    const removed = keys.length - write;
    names.length = write;
    keys.length = write;
    values.length = write;
    tags.length = write;
    nameBytes.length = write;
    return removed;
  }
}
