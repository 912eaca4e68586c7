import { Backend, compareBackends, type BackendLike } from "./backend.js";

/**
 * An immutable set of backends, sorted as pingora's `BTreeSet<Backend>` (see
 * {@link compareBackends}) and unique by identity ({@link Backend.hashKey}). Selection
 * algorithms are built from a set; comparing two sets by identity tells whether a rebuild
 * is needed. The operations return new sets and leave this one as it is.
 *
 * @example
 * ```ts
 * const a = Backends.from(["10.0.0.2:80", "10.0.0.1:80"]);
 * a.list.map(String); // ["10.0.0.1:80", "10.0.0.2:80"]
 * a.equals(a.add("10.0.0.1:80")); // true: already there
 * ```
 */
export class Backends<E = unknown> implements Iterable<Backend<E>> {
  /** The backends in order. */
  readonly list: readonly Backend<E>[];
  private readonly byHash: ReadonlyMap<string, number>;

  private constructor(sorted: Backend<E>[]) {
    this.list = Object.freeze(sorted);
    const byHash = new Map<string, number>();
    for (let i = 0; i < sorted.length; i++) byHash.set(sorted[i]!.hashKey, i);
    this.byHash = byHash;
  }

  /**
   * Builds a set; of several backends with the same identity the first is kept (its `ext`).
   * @throws {@link LbError} `ZP_LB_INVALID_BACKEND` for an item that is not a valid backend.
   */
  static from<E = unknown>(items: Iterable<BackendLike<E>>): Backends<E> {
    if (items instanceof Backends) return items as Backends<E>;
    const seen = new Set<string>();
    const list: Backend<E>[] = [];
    for (const item of items) {
      const backend = Backend.from(item);
      if (seen.has(backend.hashKey)) continue;
      seen.add(backend.hashKey);
      list.push(backend);
    }
    list.sort(compareBackends);
    return new Backends(list);
  }

  /** The empty set. */
  static empty<E = unknown>(): Backends<E> {
    return new Backends<E>([]);
  }

  /** Number of backends. */
  get size(): number {
    return this.list.length;
  }

  /** Whether a backend with this identity (a backend or its `hashKey`) is in the set. */
  has(backend: Backend<unknown> | string): boolean {
    return this.byHash.has(typeof backend === "string" ? backend : backend.hashKey);
  }

  /** The member with this identity, if any. */
  get(backend: Backend<unknown> | string): Backend<E> | undefined {
    const i = this.byHash.get(typeof backend === "string" ? backend : backend.hashKey);
    return i === undefined ? undefined : this.list[i];
  }

  /** Position in {@link Backends.list} of the member with this identity, or -1. */
  indexOf(backend: Backend<unknown> | string): number {
    return this.byHash.get(typeof backend === "string" ? backend : backend.hashKey) ?? -1;
  }

  /** The members at an endpoint (`"ip:port"`), whatever their weight. */
  atEndpoint(endpoint: string): Backend<E>[] {
    const key = Backend.parse(endpoint).endpoint;
    return this.list.filter((b) => b.endpoint === key);
  }

  /** Whether both sets hold the same identities (`ext` is not compared, as in pingora). */
  equals(other: Backends<unknown>): boolean {
    if (other === this) return true;
    if (other.size !== this.size) return false;
    for (let i = 0; i < this.list.length; i++) if (this.list[i]!.hashKey !== other.list[i]!.hashKey) return false;
    return true;
  }

  /** This set plus `backend` (this very set when it is already there). */
  add(backend: BackendLike<E>): Backends<E> {
    const b = Backend.from(backend);
    return this.has(b) ? this : Backends.from<E>([...this.list, b]);
  }

  /**
   * This set without `target`: a backend removes that identity, an `"ip:port"` string every
   * member at that endpoint whatever its weight.
   */
  remove(target: Backend<unknown> | string): Backends<E> {
    const next =
      typeof target === "string" ? this.list.filter((b) => b.endpoint !== Backend.parse(target).endpoint) : this.list.filter((b) => b.hashKey !== target.hashKey);
    return next.length === this.list.length ? this : new Backends(next);
  }

  /** This set with every member at `target`'s endpoint given `weight` (keeping `ext`). */
  reweight(target: Backend<unknown> | string, weight: number): Backends<E> {
    const endpoint = typeof target === "string" ? Backend.parse(target).endpoint : target.endpoint;
    let changed = false;
    const next = this.list.map((b) => {
      if (b.endpoint !== endpoint || b.weight === weight) return b;
      changed = true;
      return b.withWeight(weight);
    });
    return changed ? Backends.from<E>(next) : this;
  }

  [Symbol.iterator](): Iterator<Backend<E>> {
    return this.list[Symbol.iterator]();
  }
}
