import { DynamicTable } from "./dynamic-table.js";
import type { NameInfo } from "./indexing-policy.js";
import { STATIC_TABLE_LENGTH } from "./static-table.js";

/** What the encoder knows about one name: its static entries and rule, and its dynamic entries. */
export interface NameSlot {
  /** Static index, static values and rule; undefined for names only in the dynamic table. */
  readonly info: NameInfo | undefined;
  /** Insertion number of the newest dynamic entry with this name, 0 when there is none. */
  seq: number;
  /** Insertion number of the newest dynamic entry per value. */
  values: Map<string, number> | undefined;
}

/**
 * The encoder's dynamic table: a {@link DynamicTable} that also indexes its entries by name and
 * value, in one map with the static knowledge about each name, so a field costs one name
 * lookup. Entries are numbered by insertion; since eviction is first-in first-out, insertion
 * number `seq` is at HPACK index `STATIC_TABLE_LENGTH + 1 + (insertions - seq)`.
 */
export class EncoderTable extends DynamicTable {
  private insertions = 0;
  private readonly byName = new Map<string, NameSlot>();

  constructor(maxSize: number, names: ReadonlyMap<string, NameInfo>) {
    super(maxSize);
    for (const [name, info] of names) this.byName.set(name, { info, seq: 0, values: undefined });
  }

  /** The slot of `name`, if it is in the static table, has a rule or has dynamic entries. */
  slot(name: string): NameSlot | undefined {
    return this.byName.get(name);
  }

  /** HPACK index of the dynamic entry with insertion number `seq` (which must be present). */
  indexOf(seq: number): number {
    return STATIC_TABLE_LENGTH + 1 + this.insertions - seq;
  }

  protected override inserted(name: string, value: string): void {
    const seq = ++this.insertions;
    let slot = this.byName.get(name);
    if (slot === undefined) {
      slot = { info: undefined, seq, values: new Map<string, number>() };
      this.byName.set(name, slot);
    }
    slot.seq = seq;
    (slot.values ??= new Map<string, number>()).set(value, seq);
  }

  protected override evicted(name: string, value: string): void {
    const seq = this.insertions - this.count; // count already excludes the evicted entry
    const slot = this.byName.get(name)!;
    // FIFO eviction: once the newest entry with a name goes, all others with it went before.
    if (slot.seq === seq) {
      if (slot.info === undefined) {
        this.byName.delete(name);
      } else {
        slot.seq = 0;
        slot.values = undefined;
      }
    } else if (slot.values!.get(value) === seq) {
      slot.values!.delete(value);
    }
  }
}
