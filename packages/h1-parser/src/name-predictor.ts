import { NAME_COUNT } from "./header-names.js";

// Which name followed which, last time: clients send their headers in a stable order, so
// the parser checks the predicted name's bytes first, which validates and interns the
// name in one pass. A wrong guess only costs the compare up to the first differing byte.
// `predicted[id]` follows name `id`; slot NAME_COUNT is "first field", NAME_COUNT + 1
// "after a name that is not interned". Shared by all parsers of a kind: it is only a hint.
// Requests and responses have a table each (from {@link PREDICTOR_RESPONSES} on): their
// fields come in different orders (`Host` first, `Server` first), and a proxy parses both.
const SLOTS = NAME_COUNT + 2;
const predicted = new Int16Array(2 * SLOTS).fill(-1);

/** The first slot of the responses' table (requests' starts at 0). */
export const PREDICTOR_RESPONSES = SLOTS;

/**
 * The slot of the predictor for the field after one whose id is `prevId` (`-2`: no field
 * yet), in the table starting at `base`.
 */
export function predictorSlot(prevId: number, base: number): number {
  return base + (prevId >= 0 ? prevId : prevId === -2 ? NAME_COUNT : NAME_COUNT + 1);
}

/** The name id predicted for `slot`, or -1. */
export function predictName(slot: number): number {
  return predicted[slot]!;
}

/** Records that name `id` (or -1) came in `slot`. */
export function learnName(slot: number, id: number): void {
  predicted[slot] = id;
}
