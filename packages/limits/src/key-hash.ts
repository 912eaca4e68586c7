/** What the estimators and keyed limiters accept as a key. */
export type Key = string | number | Uint8Array;

/**
 * The two 32-bit lanes of the last key hashed by {@link hashKey}. A shared scratch slot
 * instead of a returned tuple keeps hashing allocation-free; JavaScript runs one call at a
 * time and hashing never calls user code, so nothing can interleave.
 */
export const lanes = new Int32Array(2);

const float = new Float64Array(1);
const floatWords = new Uint32Array(float.buffer);

// Odd multipliers with good avalanche behaviour (from MurmurHash3 / the golden ratio).
const M1 = 0xcc9e2d51 | 0;
const M2 = 0x1b873593 | 0;
const M3 = 0x85ebca6b | 0;
const M4 = 0xc2b2ae35 | 0;
const GOLDEN = 0x9e3779b9 | 0;

/** MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, M3);
  h ^= h >>> 13;
  h = Math.imul(h, M4);
  return h ^ (h >>> 16);
}

/**
 * Hashes `key` with `seed` into {@link lanes}: two 32-bit lanes fed the same 32-bit words
 * with different multipliers and rotations, so together they act as one 64-bit hash.
 * Strings are read as UTF-16 code units (two per word), numbers by value (`0` and `-0`
 * are the same key, every NaN is the same key), byte arrays four bytes per word.
 */
export function hashKey(key: Key, seed: number): void {
  if (typeof key === "string") hashString(key, seed);
  else if (typeof key === "number") hashNumber(key, seed);
  else hashBytes(key, seed);
}

function hashString(key: string, seed: number): void {
  const length = key.length;
  let a = seed ^ length;
  let b = Math.imul(seed ^ GOLDEN, M3) ^ length;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    const w = key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16);
    a = Math.imul(a ^ w, M1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ w, M2);
    b = (b << 13) | (b >>> 19);
  }
  if (i < length) {
    const w = key.charCodeAt(i);
    a = Math.imul(a ^ w, M1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ w, M2);
    b = (b << 13) | (b >>> 19);
  }
  finish(a, b);
}

function hashNumber(key: number, seed: number): void {
  let lo: number;
  let hi: number;
  if ((key | 0) === key) {
    // Small integers skip the float view. 0x7ff00001 as the high word is a NaN pattern the
    // float path never produces (NaN is canonicalised below), so the two paths never overlap.
    lo = key;
    hi = 0x7ff00001;
  } else {
    float[0] = key === key ? key : Number.NaN;
    lo = floatWords[0]!;
    hi = floatWords[1]!;
  }
  let a = seed ^ 8;
  let b = Math.imul(seed ^ GOLDEN, M3) ^ 8;
  a = Math.imul(a ^ lo, M1);
  a = (a << 15) | (a >>> 17);
  b = Math.imul(b ^ lo, M2);
  b = (b << 13) | (b >>> 19);
  a = Math.imul(a ^ hi, M1);
  a = (a << 15) | (a >>> 17);
  b = Math.imul(b ^ hi, M2);
  b = (b << 13) | (b >>> 19);
  finish(a, b);
}

function hashBytes(key: Uint8Array, seed: number): void {
  const length = key.length;
  // Tag the length so a byte array never shares a hash stream with an equal-looking string.
  let a = seed ^ length ^ 0x5bd1e995;
  let b = Math.imul(seed ^ GOLDEN, M3) ^ length ^ 0x5bd1e995;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const w = key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24);
    a = Math.imul(a ^ w, M1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ w, M2);
    b = (b << 13) | (b >>> 19);
  }
  if (i < length) {
    let w = 0;
    for (let shift = 0; i < length; i++, shift += 8) w |= key[i]! << shift;
    a = Math.imul(a ^ w, M1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ w, M2);
    b = (b << 13) | (b >>> 19);
  }
  finish(a, b);
}

function finish(a: number, b: number): void {
  a = fmix32(a ^ Math.imul(b, M2));
  lanes[0] = a;
  lanes[1] = fmix32(b ^ a);
}

/**
 * The slot of row `row` for the key last hashed into {@link lanes}: double hashing
 * (`a + row * b`, which differs between two keys in every row unless both 32-bit lanes
 * match) scrambled by a per-row seed so rows behave like independent hash functions.
 */
export function slotOf(row: number, rowSeed: number, slots: number): number {
  // Multiply-shift range reduction instead of `%`: `hash * slots / 2^32` uses the hash's
  // high bits, and two float multiplications cost far less than an integer division.
  return ((fmix32((lanes[0]! + Math.imul(row, lanes[1]!)) ^ rowSeed) >>> 0) * slots * TWO_TO_MINUS_32) | 0;
}

const TWO_TO_MINUS_32 = 1 / 0x100000000;

/**
 * A 53-bit fingerprint of `key` (one JavaScript-safe integer), used where a key must be
 * remembered cheaply, e.g. by an in-flight guard.
 */
export function fingerprint(key: Key, seed: number): number {
  hashKey(key, seed);
  return (lanes[1]! & 0x1fffff) * 0x100000000 + (lanes[0]! >>> 0);
}

/** A random 32-bit seed, or the given one made into a 32-bit integer. */
export function makeSeed(seed: number | undefined): number {
  return seed === undefined ? (Math.random() * 0x100000000) | 0 : seed | 0;
}

/** `count` 32-bit seeds derived from one (splitmix32), one per row. */
export function rowSeeds(seed: number, count: number): Int32Array {
  const out = new Int32Array(count);
  let state = seed | 0;
  for (let i = 0; i < count; i++) {
    state = (state + GOLDEN) | 0;
    out[i] = fmix32(state);
  }
  return out;
}
