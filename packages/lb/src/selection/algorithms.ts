import type { Backend } from "../backend.js";
import { LbError, LbErrorType } from "../lb-error.js";
import { KetamaSelection } from "./consistent.js";
import { LeastConnections } from "./least-connections.js";
import { PowerOfTwoChoices } from "./power-of-two.js";
import type { Selection, SelectionBuilder, SelectionContext, SelectionName } from "./selection.js";
import { SmoothRoundRobin } from "./smooth-round-robin.js";
import { WeightedSelection } from "./weighted.js";

/** The names {@link buildSelection} accepts. */
export const SELECTION_NAMES: readonly SelectionName[] = Object.freeze([
  "round_robin",
  "weighted_round_robin",
  "least_conn",
  "random",
  "p2c",
  "fnv",
  "ketama",
]);

/**
 * Builds the named algorithm (or calls a custom builder) over sorted, duplicate-free backends.
 * @throws {@link LbError} `ZP_LB_INVALID_OPTION` for an unknown name.
 */
export function buildSelection<E>(algorithm: SelectionName | SelectionBuilder, backends: readonly Backend<E>[], context: SelectionContext): Selection<E> {
  if (typeof algorithm === "function") return algorithm(backends, context);
  switch (algorithm) {
    case "round_robin":
      return new WeightedSelection(backends, "round_robin");
    case "fnv":
      return new WeightedSelection(backends, "fnv");
    case "random":
      return new WeightedSelection(backends, "random", context.random);
    case "weighted_round_robin":
      return new SmoothRoundRobin(backends);
    case "least_conn":
      return new LeastConnections(backends, context.inflight);
    case "p2c":
      return new PowerOfTwoChoices(backends, context.inflight, context.random);
    case "ketama":
      return new KetamaSelection(backends);
    default:
      throw new LbError(LbErrorType.InvalidOption, `unknown selection ${JSON.stringify(algorithm)}; expected one of ${SELECTION_NAMES.join(", ")}`);
  }
}
