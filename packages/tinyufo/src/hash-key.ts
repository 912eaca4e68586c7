/** A cache key: strings and numbers are supported (compared like `Map` keys). */
export type CacheKey = string | number;

// Scratch space to read the bits of a non-int32 number without allocating.
const float64 = new Float64Array(1);
const words = new Uint32Array(float64.buffer);

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * MurmurHash3's finaliser: spreads every input bit over the whole 32-bit output.
 * Returns a signed int32 (a small integer for V8, never a boxed double).
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixTail(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return h ^ Math.imul(k, C2);
}

function hashString(key: string, seed: number): number {
  const length = key.length;
  const quads = length & ~3;
  // Two independent lanes, each taking two UTF-16 code units (one 32-bit block) per
  // step, so their multiply chains overlap; code units are read in place.
  let a = seed;
  let b = seed ^ 0x9e3779b9;
  let i = 0;
  for (; i < quads; i += 4) {
    a = mixBlock(a, key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16));
    b = mixBlock(b, key.charCodeAt(i + 2) | (key.charCodeAt(i + 3) << 16));
  }
  if (i + 1 < length) {
    a = mixBlock(a, key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16));
    i += 2;
  }
  if (i < length) b = mixTail(b, key.charCodeAt(i));
  return fmix32(a ^ ((b << 16) | (b >>> 16)) ^ (length << 1));
}

function hashNumber(key: number, seed: number): number {
  if ((key | 0) === key) return fmix32(mixBlock(seed, key) ^ 4);
  float64[0] = key;
  return fmix32(mixBlock(mixBlock(seed, words[0]!), words[1]!) ^ 8);
}

/**
 * A seeded 32-bit hash of a key (MurmurHash3-style), as a signed int32. Strings are hashed over their
 * UTF-16 code units; numbers that fit an int32 over their value, others over their
 * IEEE-754 bits (`-0` hashes like `0`, as `Map` treats them alike).
 */
export function hashKey(key: CacheKey, seed: number): number {
  return typeof key === "number" ? hashNumber(key, seed) : hashString(key, seed);
}
