/** A key an LRU can shard without a custom hash. */
export type ShardKey = string | number;

// Scratch view for hashing the bits of non-integer numbers without allocating.
const float = new Float64Array(1);
const floatWords = new Uint32Array(float.buffer);

/** Spreads the bits of a 32-bit integer (the murmur3 finaliser). */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of `s`, finalised so the low bits are well spread. */
export function hashString(s: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x0100_0193);
  return mix32(h);
}

/** A 32-bit hash of a number; integers in the int32 range hash without touching memory. */
export function hashNumber(n: number): number {
  if ((n | 0) === n) return mix32(n);
  if (n !== n) return 0; // every NaN is the same Map key, whatever its bits
  float[0] = n;
  return mix32(floatWords[0]! ^ mix32(floatWords[1]!));
}

/**
 * The default hash of {@link ShardedLru}: a fast non-cryptographic 32-bit hash of a
 * string or number key (unsigned). Equal keys (as Map sees them) hash equally.
 */
export function hashKey(key: ShardKey): number {
  return typeof key === "string" ? hashString(key) : hashNumber(key);
}
