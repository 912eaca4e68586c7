/**
 * A fixed set of up to 31 lowercase header names, prepared for {@link HeaderMap.presentKeys}
 * and {@link HeaderMap.matchKeys}:
 * the names are grouped by length, so a field is compared only with the names of its own
 * length (most fields have none).
 *
 * @example
 * ```ts
 * const FRAMING = new HeaderKeySet(["content-length", "transfer-encoding"]);
 * const which: number[] = [];
 * const mask = headers.matchKeys(FRAMING, which); // bit 0: Content-Length present
 * ```
 */
export class HeaderKeySet {
  /** The names; a match reports a position in this list. */
  readonly keys: readonly string[];
  /** Bit `k` of `byLength[n]` is set when `keys[k]` has `n` characters. */
  readonly byLength: Int32Array;

  constructor(keys: readonly string[]) {
    if (keys.length > 31) throw new RangeError(`a HeaderKeySet holds at most 31 names, got ${keys.length}`);
    let longest = 0;
    for (const key of keys) {
      if (key.length === 0 || key !== key.toLowerCase()) throw new TypeError(`header key set names must be non-empty and lowercase, got ${JSON.stringify(key)}`);
      longest = Math.max(longest, key.length);
    }
    this.keys = [...keys];
    this.byLength = new Int32Array(longest + 1);
    for (let k = 0; k < keys.length; k++) this.byLength[keys[k]!.length]! |= 1 << k;
  }
}
