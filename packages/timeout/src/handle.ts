/**
 * Numeric timer handles: `generation * SLOT_SPACE + slot`. The slot is the entry's
 * index in the wheel's arrays; the generation grows each time the slot is reused,
 * so a handle kept after its timer fired or was cancelled no longer matches.
 */

/** Number of slots a wheel can hold at once (2^24). */
export const SLOT_SPACE = 0x1000000;

/** Mask that extracts the slot from a handle (`handle & SLOT_MASK`). */
export const SLOT_MASK = SLOT_SPACE - 1;

/** Past this value the next generation would lose integer precision, so it wraps to 1. */
export const LAST_GENERATION_HANDLE = Number.MAX_SAFE_INTEGER - SLOT_SPACE;

/**
 * The handle that is never armed: returned by `arm(Infinity, ...)`; cancelling it does
 * nothing. Real handles are always greater than zero, so `0` also works as "no timer".
 */
export const NO_TIMER = 0;
