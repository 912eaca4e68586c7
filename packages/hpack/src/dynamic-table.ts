/** Per-entry overhead added to name + value length (RFC 7541 §4.1). */
export const ENTRY_OVERHEAD = 32;

/**
 * The dynamic table (RFC 7541 §2.3.2, §4) as a ring buffer: entry 0 is the newest. Strings are
 * latin1, so a string's length is its size in octets. Adding evicts the oldest entries until
 * the new one fits; an entry larger than the whole table empties it and is not added.
 */
export class DynamicTable {
  /** Sum of the entries' sizes. */
  size = 0;
  /** Number of entries. */
  count = 0;
  /** Current maximum size in octets. */
  maxSize: number;
  private names: string[];
  private values: string[];
  private mask: number;
  private head = 0; // slot of the newest entry

  constructor(maxSize: number) {
    this.maxSize = maxSize;
    const capacity = 16;
    this.names = new Array<string>(capacity).fill("");
    this.values = new Array<string>(capacity).fill("");
    this.mask = capacity - 1;
  }

  /** Name of entry `i` (0 = newest); `i` must be below {@link count}. */
  nameAt(i: number): string {
    return this.names[(this.head - i) & this.mask]!;
  }

  /** Value of entry `i` (0 = newest); `i` must be below {@link count}. */
  valueAt(i: number): string {
    return this.values[(this.head - i) & this.mask]!;
  }

  /** Inserts an entry as the newest, evicting as needed. */
  add(name: string, value: string): void {
    const entrySize = name.length + value.length + ENTRY_OVERHEAD;
    if (entrySize > this.maxSize) {
      this.evictTo(0);
      return;
    }
    this.evictTo(this.maxSize - entrySize);
    if (this.count > this.mask) this.grow();
    this.head = (this.head + 1) & this.mask;
    this.names[this.head] = name;
    this.values[this.head] = value;
    this.count++;
    this.size += entrySize;
    this.inserted(name, value);
  }

  /** Changes the maximum size, evicting entries that no longer fit. */
  setMaxSize(maxSize: number): void {
    this.maxSize = maxSize;
    this.evictTo(maxSize);
  }

  /** Called after an entry was added (hook for the encoder's lookup index). */
  protected inserted(_name: string, _value: string): void {}

  /** Called after the oldest entry was removed (hook for the encoder's lookup index). */
  protected evicted(_name: string, _value: string): void {}

  private evictTo(target: number): void {
    while (this.size > target) {
      const slot = (this.head - this.count + 1) & this.mask;
      const name = this.names[slot]!;
      const value = this.values[slot]!;
      this.names[slot] = "";
      this.values[slot] = "";
      this.count--;
      this.size -= name.length + value.length + ENTRY_OVERHEAD;
      this.evicted(name, value);
    }
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const names = new Array<string>(capacity).fill("");
    const values = new Array<string>(capacity).fill("");
    // Lay the entries out oldest first so that the newest sits at slot count - 1.
    for (let i = 0; i < this.count; i++) {
      names[this.count - 1 - i] = this.nameAt(i);
      values[this.count - 1 - i] = this.valueAt(i);
    }
    this.names = names;
    this.values = values;
    this.mask = capacity - 1;
    this.head = this.count - 1;
  }
}
