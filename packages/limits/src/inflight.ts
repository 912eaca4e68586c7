import { requireInteger } from "./errors.js";
import { Estimator } from "./estimator.js";
import { fingerprint, makeSeed, type Key } from "./key-hash.js";

/** Options for {@link Inflight}. */
export interface InflightOptions {
  /** Rows of the estimator (default 4). */
  hashes?: number;
  /** Counters per row (default 8192). */
  slots?: number;
  /** Hash seed (default random). */
  seed?: number;
}

/**
 * Holds one {@link Inflight.incr} until released; releasing subtracts what it added, once.
 * Works with `using`: `using guard = inflight.incr(key)[0];`.
 */
export class InflightGuard implements Disposable {
  private readonly estimator: Estimator;
  /** The key's 53-bit fingerprint: cheaper to keep than the key, and immune to later mutation of a byte-array key. */
  private readonly id: number;
  /** How much this guard added. */
  readonly value: number;
  private done = false;

  /** @internal Made by {@link Inflight.incr}. */
  constructor(estimator: Estimator, id: number, value: number) {
    this.estimator = estimator;
    this.id = id;
    this.value = value;
  }

  /** The current estimate of the key this guard holds. */
  get(): number {
    return this.estimator.get(this.id);
  }

  /** Whether {@link InflightGuard.release} already ran. */
  get released(): boolean {
    return this.done;
  }

  /** Subtracts this guard's value from its key; later calls do nothing. */
  release(): void {
    if (this.done) return;
    this.done = true;
    this.estimator.decr(this.id, this.value);
  }

  /** Same as {@link InflightGuard.release}. */
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * Counts what is in progress per key (requests per client, connections per upstream) in
 * fixed memory, over a count-min {@link Estimator}. Each `incr` returns a guard; releasing
 * the guard when the work ends takes the count back down.
 *
 * @example
 * ```ts
 * const inflight = new Inflight();
 * const [guard, now] = inflight.incr("10.0.0.1");
 * if (now > 100) { guard.release(); return 503; }
 * try { await handle(); } finally { guard.release(); }
 * ```
 */
export class Inflight {
  private readonly estimator: Estimator;
  private readonly seed: number;

  constructor(options: InflightOptions = {}) {
    const hashes = options.hashes ?? 4;
    const slots = options.slots ?? 8192;
    requireInteger("hashes", hashes, 1, 64);
    requireInteger("slots", slots, 1, 1 << 26);
    // Keys are fingerprinted with one seed, the fingerprints spread over rows with another.
    this.seed = makeSeed(options.seed);
    this.estimator = new Estimator(hashes, slots, { seed: this.seed ^ 0x2545f491 });
  }

  /** Adds `n` (default 1) to `key`; returns the guard that takes it back and the new estimate. */
  incr(key: Key, n = 1): [guard: InflightGuard, estimate: number] {
    const id = fingerprint(key, this.seed);
    const estimate = this.estimator.incr(id, n);
    return [new InflightGuard(this.estimator, id, n), estimate];
  }

  /** The current estimate for `key`. */
  get(key: Key): number {
    return this.estimator.get(fingerprint(key, this.seed));
  }
}
