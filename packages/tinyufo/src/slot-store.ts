import type { CacheKey } from "./hash-key.js";

/** Where a slot lives: free, in the small queue or in the main queue. */
export const FREE = 0;
export const SMALL = 1;
export const MAIN = 2;

const NONE = -1;

/**
 * The items of a TinyUFO cache in parallel arrays indexed by slot number, plus two
 * FIFO queues (small and main) kept as circular doubly linked lists through `next`
 * and `prev`. The head of a queue is its oldest item; its tail is `prev[head]`.
 * Free slots are chained through `next`. The arrays double when full.
 */
export class SlotStore<K extends CacheKey, V> {
  keys: (K | undefined)[] = [];
  values: (V | undefined)[] = [];
  weights: Uint32Array;
  /** Per-item access count, capped by the cache. */
  uses: Uint8Array;
  /** FREE, SMALL or MAIN. */
  queues: Uint8Array;
  /** The key's hash, kept so an evicted item's frequency needs no rehash. */
  hashes: Int32Array;
  next: Int32Array;
  prev: Int32Array;
  smallHead = NONE;
  mainHead = NONE;
  private freeHead = NONE;
  /** Slots ever handed out; slots at and above this index were never used. */
  private highWater = 0;

  constructor(initialCapacity: number) {
    const capacity = Math.max(16, initialCapacity);
    this.weights = new Uint32Array(capacity);
    this.uses = new Uint8Array(capacity);
    this.queues = new Uint8Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) {
      this.keys.push(undefined);
      this.values.push(undefined);
    }
  }

  /** Takes a free slot and fills it (uses 0, in no queue yet). */
  allocate(key: K, value: V, weight: number, hash: number): number {
    let slot = this.freeHead;
    if (slot !== NONE) {
      this.freeHead = this.next[slot]!;
    } else {
      if (this.highWater === this.weights.length) this.grow();
      slot = this.highWater++;
    }
    this.keys[slot] = key;
    this.values[slot] = value;
    this.weights[slot] = weight;
    this.hashes[slot] = hash;
    this.uses[slot] = 0;
    return slot;
  }

  /** Returns an unlinked slot to the free list, dropping its key and value. */
  release(slot: number): void {
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.queues[slot] = FREE;
    this.next[slot] = this.freeHead;
    this.freeHead = slot;
  }

  /** Appends `slot` at the tail of `queue` (SMALL or MAIN). */
  pushBack(queue: number, slot: number): void {
    this.queues[slot] = queue;
    const head = queue === SMALL ? this.smallHead : this.mainHead;
    if (head === NONE) {
      this.next[slot] = slot;
      this.prev[slot] = slot;
      if (queue === SMALL) this.smallHead = slot;
      else this.mainHead = slot;
      return;
    }
    const tail = this.prev[head]!;
    this.next[tail] = slot;
    this.prev[slot] = tail;
    this.next[slot] = head;
    this.prev[head] = slot;
  }

  /** Takes `slot` out of the queue it is in. */
  unlink(slot: number): void {
    const inSmall = this.queues[slot] === SMALL;
    const after = this.next[slot]!;
    if (after === slot) {
      if (inSmall) this.smallHead = NONE;
      else this.mainHead = NONE;
    } else {
      const before = this.prev[slot]!;
      this.next[before] = after;
      this.prev[after] = before;
      if (inSmall) {
        if (this.smallHead === slot) this.smallHead = after;
      } else if (this.mainHead === slot) {
        this.mainHead = after;
      }
    }
    this.queues[slot] = FREE;
  }

  /** Moves the head of the main queue to its tail (the list is circular, so only the head moves). */
  rotateMain(): void {
    this.mainHead = this.next[this.mainHead]!;
  }

  /** Forgets every item, keeping the allocated memory. */
  clear(): void {
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.queues.fill(FREE);
    this.smallHead = NONE;
    this.mainHead = NONE;
    this.freeHead = NONE;
    this.highWater = 0;
  }

  private grow(): void {
    const oldCapacity = this.weights.length;
    const capacity = oldCapacity * 2;
    this.weights = copyInto(new Uint32Array(capacity), this.weights);
    this.uses = copyInto(new Uint8Array(capacity), this.uses);
    this.queues = copyInto(new Uint8Array(capacity), this.queues);
    this.hashes = copyInto(new Int32Array(capacity), this.hashes);
    this.next = copyInto(new Int32Array(capacity), this.next);
    this.prev = copyInto(new Int32Array(capacity), this.prev);
    for (let i = oldCapacity; i < capacity; i++) {
      this.keys.push(undefined);
      this.values.push(undefined);
    }
  }
}

function copyInto<T extends Uint8Array | Uint32Array | Int32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
