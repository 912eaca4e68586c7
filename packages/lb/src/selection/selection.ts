import type { Backend } from "../backend.js";
import type { InflightCounter } from "./inflight.js";

/** The key hash-based algorithms select by: a string (hashed as UTF-8) or bytes. Others ignore it. */
export type SelectionKey = string | Uint8Array | undefined;

/**
 * One walk over a selection's backends for one key: the first index is the first choice,
 * the following ones are where to go when it cannot be used. This is pingora's `BackendIter`
 * reduced to indices, so a walk allocates nothing; a cursor is reused from walk to walk.
 * A walk may repeat indices and may never end (ketama); the caller bounds it.
 */
export interface SelectionCursor {
  /** Starts a new walk for `key`. */
  reset(key: SelectionKey): void;
  /** The next index into {@link Selection.backends}, or -1 when the walk is over. */
  next(): number;
}

/**
 * A selection algorithm built over one set of backends (pingora's `BackendSelection`). It is
 * immutable apart from the algorithm's own running state (a round-robin counter, smooth
 * weights); when the set changes a new one is built.
 */
export interface Selection<E = unknown> {
  /** The backends it selects from, in set order. */
  readonly backends: readonly Backend<E>[];
  /** A new cursor for walks over this selection. */
  cursor(): SelectionCursor;
}

/** What a {@link SelectionBuilder} may use besides the backends. */
export interface SelectionContext {
  /** Uniform random numbers in [0, 1), for `random` and `p2c` (default `Math.random`). */
  readonly random: () => number;
  /** In-flight request counts, for `least_conn` and `p2c`. */
  readonly inflight: InflightCounter;
}

/** Builds a {@link Selection} over a sorted, duplicate-free list of backends. */
export type SelectionBuilder = <E>(backends: readonly Backend<E>[], context: SelectionContext) => Selection<E>;

/** The built-in algorithms, by name. */
export type SelectionName = "round_robin" | "weighted_round_robin" | "least_conn" | "random" | "p2c" | "fnv" | "ketama";
