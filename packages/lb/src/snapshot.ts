import type { Backend } from "./backend.js";
import type { Backends } from "./backends.js";
import type { EndpointHealth } from "./health/endpoint-health.js";
import type { Selection } from "./selection/selection.js";
import { UniqueIterator } from "./selection/unique-iterator.js";

/**
 * @internal Everything a selection reads, built together when the set changes and swapped in
 * one assignment: the set, the selection over it, and each backend's health state at the same
 * index. A walk in progress keeps the snapshot it started with.
 */
export class Snapshot<E> {
  readonly backends: Backends<E>;
  readonly list: readonly Backend<E>[];
  readonly selection: Selection<E>;
  readonly states: readonly EndpointHealth<E>[];
  /** The iterator `select()` reuses. */
  readonly walk: UniqueIterator<E>;
  /** Set while `selectWith` runs user code, so a nested call takes its own iterator. */
  busy = false;

  constructor(backends: Backends<E>, selection: Selection<E>, states: readonly EndpointHealth<E>[]) {
    this.backends = backends;
    this.list = backends.list;
    this.selection = selection;
    this.states = states;
    this.walk = new UniqueIterator(selection);
  }
}
