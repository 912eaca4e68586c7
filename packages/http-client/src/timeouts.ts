import type { PeerTimeouts } from "./peer.js";

/** Every time limit with a value, as a connection uses them. */
export interface ResolvedTimeouts {
  readonly connectMs: number;
  readonly readMs: number;
  readonly writeMs: number;
  readonly idleMs: number;
  readonly totalMs: number;
}

/** The limits used when neither the peer nor the client sets one. */
export const DEFAULT_TIMEOUTS: ResolvedTimeouts = Object.freeze({
  connectMs: 10_000,
  readMs: 60_000,
  writeMs: 60_000,
  idleMs: 60_000,
  totalMs: Number.POSITIVE_INFINITY,
});

function pick(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value > 0)) throw new RangeError(`timeouts.${name} must be a number of ms > 0 or Infinity, got ${String(value)}`);
  return value;
}

/** Fills the limits a peer leaves unset from `defaults`, checking the ones it sets. */
export function resolveTimeouts(given: PeerTimeouts | undefined, defaults: ResolvedTimeouts = DEFAULT_TIMEOUTS): ResolvedTimeouts {
  if (given === undefined) return defaults;
  return {
    connectMs: pick("connectMs", given.connectMs, defaults.connectMs),
    readMs: pick("readMs", given.readMs, defaults.readMs),
    writeMs: pick("writeMs", given.writeMs, defaults.writeMs),
    idleMs: pick("idleMs", given.idleMs, defaults.idleMs),
    totalMs: pick("totalMs", given.totalMs, defaults.totalMs),
  };
}
