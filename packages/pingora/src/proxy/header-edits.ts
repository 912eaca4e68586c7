import type { HeaderMap } from "@zp/http";
import type { HeaderEditsConfig } from "../config/proxy-config.js";

/** Header edits resolved for the hot path: remove, then set, then add. */
export class HeaderEdits {
  /** Whether there is anything to do. */
  readonly empty: boolean;
  private readonly remove: readonly string[];
  private readonly set: readonly (readonly [string, string])[];
  private readonly add: readonly (readonly [string, string])[];

  /** @param config Validated names and values (they are applied unchecked). */
  constructor(config: HeaderEditsConfig) {
    this.remove = config.remove;
    this.set = config.set;
    this.add = config.add;
    this.empty = this.remove.length + this.set.length + this.add.length === 0;
  }

  /** Applies the edits to `headers`. */
  apply(headers: HeaderMap): void {
    if (this.empty) return;
    for (const name of this.remove) headers.remove(name);
    for (const [name, value] of this.set) headers.setUnchecked(name, value);
    for (const [name, value] of this.add) headers.appendUnchecked(name, value);
  }
}
