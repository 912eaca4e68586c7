import { type Bucket, validateBucket } from "./bucket.js";
import { updateBytes, updateString, updateWordLE } from "./crc32.js";
import { KetamaError } from "./ketama-error.js";
import { NodeIterator } from "./node-iterator.js";

/** Points each unit of weight puts on the ring (the constant nginx uses). */
export const POINTS_PER_WEIGHT = 160;

/** Most points a ring may hold (sum of weights × 160), bounding the memory a build takes. */
export const MAX_POINTS = 2 ** 25;

/** Most buckets a ring may hold; the bucket index shares a sort key with the 32-bit hash. */
export const MAX_BUCKETS = 2 ** 21;

const INDEX_SCALE = MAX_BUCKETS;

/** The text nginx and pingora hash for a server: `<ip>\0<port>`, IPv6 without brackets. */
function serverKey(bucket: Bucket): string {
  const { address } = bucket;
  const bare = address.length > 1 && address[0] === "[" && address[address.length - 1] === "]" ? address.slice(1, -1) : address;
  return `${bare}\0${bucket.port}`;
}

/**
 * A ketama consistent-hashing ring that places keys on servers exactly as nginx's
 * `hash $key consistent` and pingora-ketama do.
 *
 * Each bucket gets `weight × 160` points; point `i` is the CRC-32 of `"<ip>\0<port>"`
 * continued over the little-endian bytes of point `i - 1` (0 for the first). A key goes to
 * the first point whose hash is at least `crc32(key)`, wrapping to the first point.
 * Points are kept in typed arrays, so lookups allocate nothing.
 * @typeParam B The bucket type; lookups return the very objects passed in, so extra fields
 *   (a connection pool, a health flag) ride along.
 */
export class Continuum<B extends Bucket = Bucket> {
  /** The buckets in the order given; ring points refer to them by index. */
  readonly buckets: readonly B[];
  /** Point hashes, ascending, without duplicates. */
  private readonly hashes: Uint32Array;
  /** `owners[i]` is the index in `buckets` of the server that owns point `i`. */
  private readonly owners: Uint16Array | Uint32Array;
  /** `jump[t]` is the first point whose top bits are at least `t`, narrowing each search. */
  private readonly jump: Uint32Array;
  private readonly shift: number;

  /**
   * Builds the ring. Buckets are read once; changing them later does not move points.
   * When two points share a hash, the one of the earlier bucket is kept.
   * @param buckets The servers; an empty list gives a ring on which every lookup misses.
   * @throws {@link KetamaError} `ZP_KETAMA_INVALID_BUCKET` for a bad address, port or weight,
   *   `ZP_KETAMA_TOO_LARGE` beyond {@link MAX_BUCKETS} buckets or {@link MAX_POINTS} points.
   */
  constructor(buckets: readonly B[]) {
    if (buckets.length > MAX_BUCKETS) {
      throw new KetamaError("ZP_KETAMA_TOO_LARGE", `at most ${MAX_BUCKETS} buckets, got ${buckets.length}`);
    }
    let total = 0;
    for (const bucket of buckets) {
      validateBucket(bucket);
      total += bucket.weight * POINTS_PER_WEIGHT;
    }
    if (total > MAX_POINTS) {
      throw new KetamaError("ZP_KETAMA_TOO_LARGE", `at most ${MAX_POINTS} ring points, the weights ask for ${total}`);
    }
    this.buckets = buckets.slice();

    // Sort key: hash × 2^21 + bucket index, exact in a double, so one native numeric sort
    // orders by hash and breaks ties by bucket order.
    const keys = new Float64Array(total);
    let k = 0;
    for (let b = 0; b < buckets.length; b++) {
      const bucket = buckets[b]!;
      const base = updateString(-1, serverKey(bucket));
      const points = bucket.weight * POINTS_PER_WEIGHT;
      let previous = 0;
      for (let p = 0; p < points; p++) {
        const hash = ~updateWordLE(base, previous) >>> 0;
        keys[k++] = hash * INDEX_SCALE + b;
        previous = hash;
      }
    }
    keys.sort();

    const hashes = new Uint32Array(total);
    const owners = buckets.length <= 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
    let count = 0;
    for (let i = 0; i < total; i++) {
      const key = keys[i]!;
      const hash = Math.floor(key / INDEX_SCALE);
      if (count > 0 && hashes[count - 1] === hash) continue;
      hashes[count] = hash;
      owners[count] = key - hash * INDEX_SCALE;
      count++;
    }
    this.hashes = count === total ? hashes : hashes.slice(0, count);
    this.owners = count === total ? owners : owners.slice(0, count);

    const bits = Math.min(16, Math.max(1, Math.ceil(Math.log2(count + 1))));
    this.shift = 32 - bits;
    const slots = 1 << bits;
    const jump = new Uint32Array(slots + 1);
    let p = 0;
    for (let t = 0; t <= slots; t++) {
      while (p < count && this.hashes[p]! >>> this.shift < t) p++;
      jump[t] = p;
    }
    this.jump = jump;
  }

  /** Number of points on the ring (after dropping duplicate hashes). */
  get size(): number {
    return this.hashes.length;
  }

  /**
   * The ring position a key maps to: the first point whose hash is at least `crc32(key)`,
   * or 0 past the last point (and 0 on an empty ring, like pingora).
   * @param key A string (hashed as UTF-8) or bytes.
   */
  nodeIdx(key: string | Uint8Array): number {
    const register = typeof key === "string" ? updateString(-1, key) : updateBytes(-1, key, 0, key.length);
    return this.pointFor(~register >>> 0);
  }

  /**
   * The ring position of a precomputed CRC-32 key hash (see {@link crc32}).
   * @param hash An unsigned 32-bit hash.
   */
  pointFor(hash: number): number {
    const hashes = this.hashes;
    const count = hashes.length;
    const slot = hash >>> this.shift;
    let low = this.jump[slot]!;
    let high = this.jump[slot + 1]!;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (hashes[mid]! < hash) low = mid + 1;
      else high = mid;
    }
    return low === count ? 0 : low;
  }

  /**
   * The bucket a key maps to, or `undefined` on an empty ring. Allocation-free.
   * @param key A string (hashed as UTF-8) or bytes.
   */
  node(key: string | Uint8Array): B | undefined {
    return this.get(this.nodeIdx(key));
  }

  /**
   * The index in {@link Continuum.buckets} of the bucket a key maps to, or -1 on an empty ring.
   * @param key A string (hashed as UTF-8) or bytes.
   */
  bucketIdx(key: string | Uint8Array): number {
    return this.bucketIdxAt(this.nodeIdx(key));
  }

  /**
   * The bucket that owns ring point `index`, or `undefined` outside `0 .. size - 1`.
   * @param index A ring position, as returned by {@link Continuum.nodeIdx}.
   */
  get(index: number): B | undefined {
    const owner = this.owners[index];
    return owner === undefined ? undefined : this.buckets[owner];
  }

  /**
   * The index in {@link Continuum.buckets} of the owner of ring point `index`, or -1 outside
   * the ring.
   * @param index A ring position.
   */
  bucketIdxAt(index: number): number {
    return this.owners[index] ?? -1;
  }

  /**
   * Walks the ring from the point a key maps to, one bucket per point (repeats included),
   * wrapping around forever; for picking failover servers without rebuilding the ring.
   * On an empty ring it yields nothing.
   * @param key A string (hashed as UTF-8) or bytes.
   */
  nodeIter(key: string | Uint8Array): NodeIterator<B> {
    return new NodeIterator(this, this.nodeIdx(key));
  }
}
