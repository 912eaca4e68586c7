/** FNV-1a 64-bit offset basis, high and low 32 bits (as signed 32-bit integers). */
const OFFSET_HI = 0xcbf29ce4 | 0;
const OFFSET_LO = 0x84222325 | 0;
/** The FNV-1a 64-bit prime is 2^40 + 0x1b3. */
const PRIME_LO = 0x1b3;
const TWO_32 = 4294967296;

/**
 * A 64-bit FNV-1a hash held as two 32-bit halves, so hashing allocates nothing (no BigInt).
 * The same function as Rust's `fnv::FnvHasher`, which pingora's `FNVHash` selection uses:
 * feed bytes, read {@link Fnv64.hi}/{@link Fnv64.lo}, or take the hash modulo a length with
 * {@link Fnv64.mod}.
 *
 * @example
 * ```ts
 * const h = new Fnv64().string("test");
 * h.hex(); // "f9e6e6ef197c2b25"
 * ```
 */
export class Fnv64 {
  // Kept as signed 32-bit integers, which V8 stores without boxing.
  private h = OFFSET_HI;
  private l = OFFSET_LO;

  /** High 32 bits of the hash, unsigned. */
  get hi(): number {
    return this.h >>> 0;
  }

  /** Low 32 bits of the hash, unsigned. */
  get lo(): number {
    return this.l >>> 0;
  }

  /** Starts over from the offset basis. */
  reset(): this {
    this.h = OFFSET_HI;
    this.l = OFFSET_LO;
    return this;
  }

  /** Feeds one byte (0..255). */
  byte(b: number): this {
    const lo = (this.l ^ b) >>> 0;
    // (hi·2^32 + lo) · (2^40 + 0x1b3) mod 2^64 in exact arithmetic: lo · 0x1b3 < 2^41, and
    // the 2^40 term only reaches the high word, as lo << 8.
    const product = lo * PRIME_LO;
    const low = product | 0;
    this.h = (Math.imul(this.h, PRIME_LO) + (product - (low >>> 0)) / TWO_32 + (lo << 8)) | 0;
    this.l = low;
    return this;
  }

  /** Feeds `bytes[start..end)`. */
  bytes(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let h = this.h;
    let l = this.l;
    for (let i = start; i < end; i++) {
      const lo = (l ^ bytes[i]!) >>> 0;
      const product = lo * PRIME_LO;
      l = product | 0;
      h = (Math.imul(h, PRIME_LO) + (product - (l >>> 0)) / TWO_32 + (lo << 8)) | 0;
    }
    this.h = h;
    this.l = l;
    return this;
  }

  /**
   * Feeds a string as UTF-8 without encoding it first; lone surrogates count as U+FFFD,
   * as `TextEncoder` writes them.
   */
  string(text: string): this {
    const length = text.length;
    let h = this.h;
    let l = this.l;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        const lo = (l ^ c) >>> 0;
        const product = lo * PRIME_LO;
        l = product | 0;
        h = (Math.imul(h, PRIME_LO) + (product - (l >>> 0)) / TWO_32 + (lo << 8)) | 0;
        continue;
      }
      this.h = h;
      this.l = l;
      i = this.multiByte(text, i, c);
      h = this.h;
      l = this.l;
    }
    this.h = h;
    this.l = l;
    return this;
  }

  /** Feeds the UTF-8 bytes of the non-ASCII character at `text[i]`; returns the index of its last code unit. */
  private multiByte(text: string, i: number, code: number): number {
    let c = code;
    if (c < 0x800) {
      this.byte(0xc0 | (c >> 6)).byte(0x80 | (c & 0x3f));
      return i;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        this.byte(0xf0 | (cp >> 18)).byte(0x80 | ((cp >> 12) & 0x3f)).byte(0x80 | ((cp >> 6) & 0x3f)).byte(0x80 | (cp & 0x3f));
        return i + 1;
      }
      c = 0xfffd;
    }
    this.byte(0xe0 | (c >> 12)).byte(0x80 | ((c >> 6) & 0x3f)).byte(0x80 | (c & 0x3f));
    return i;
  }

  /** Feeds the eight little-endian bytes of the 64-bit value `hi·2^32 + lo` (Rust's `u64::to_le_bytes`). */
  word64le(hi: number, lo: number): this {
    this.byte(lo & 0xff).byte((lo >>> 8) & 0xff).byte((lo >>> 16) & 0xff).byte(lo >>> 24);
    return this.byte(hi & 0xff).byte((hi >>> 8) & 0xff).byte((hi >>> 16) & 0xff).byte(hi >>> 24);
  }

  /** Replaces the state with FNV-1a of its own eight little-endian bytes (pingora's fallback step). */
  rehash(): this {
    const hi = this.h;
    const lo = this.l;
    return this.reset().word64le(hi, lo);
  }

  /** The hash modulo `n` (a positive integer below 2^37), exactly, as Rust's `u64 % n`. */
  mod(n: number): number {
    const lo = this.l >>> 0;
    let r = (this.h >>> 0) % n;
    r = (r * 65536 + (lo >>> 16)) % n;
    return (r * 65536 + (lo & 0xffff)) % n;
  }

  /** The hash as 16 lower-case hex digits. */
  hex(): string {
    return (this.h >>> 0).toString(16).padStart(8, "0") + (this.l >>> 0).toString(16).padStart(8, "0");
  }
}
