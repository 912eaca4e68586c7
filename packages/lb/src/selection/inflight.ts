import type { Backend } from "../backend.js";

/**
 * Where `least_conn` and `p2c` read how many requests each backend is serving. Inject your
 * own to feed them from elsewhere (a connection pool's counts, another process's numbers).
 */
export interface InflightCounter {
  /** Requests in flight to `backend` now (0 or more). */
  get(backend: Backend<unknown>): number;
}

/**
 * The default {@link InflightCounter}: counts kept per endpoint (`address:port`), so they
 * survive rebuilds and weight changes. The proxy calls {@link InflightTracker.start} when a
 * request to a backend begins and {@link InflightTracker.end} when it finishes (the load
 * balancer's `onStart`/`onEnd` do exactly this). Counts live in a typed array, one slot per
 * endpoint, which selections read directly.
 *
 * @example
 * ```ts
 * const inflight = new InflightTracker();
 * inflight.start(backend);
 * inflight.get(backend); // 1
 * inflight.end(backend);
 * ```
 */
export class InflightTracker implements InflightCounter {
  /** @internal In-flight count per slot; replaced by a larger array when it fills up. */
  counts = new Int32Array(16);
  /** Whether each slot's endpoint is in the current set (an idle slot of a removed one is freed). */
  private live = new Uint8Array(16);
  private readonly slots = new Map<string, number>();
  private readonly free: number[] = [];
  private used = 0;

  /** One more request in flight to `backend`. */
  start(backend: Backend<unknown>): void {
    const slot = this.slots.get(backend.endpoint) ?? this.allocate(backend.endpoint, false);
    this.counts[slot]!++;
  }

  /** One request to `backend` finished (never below zero). */
  end(backend: Backend<unknown>): void {
    const slot = this.slots.get(backend.endpoint);
    if (slot === undefined) return;
    if (this.counts[slot]! > 0) this.counts[slot]!--;
    if (this.counts[slot] === 0 && this.live[slot] === 0) this.release(backend.endpoint, slot);
  }

  get(backend: Backend<unknown>): number {
    const slot = this.slots.get(backend.endpoint);
    return slot === undefined ? 0 : this.counts[slot]!;
  }

  /** Number of endpoints with a slot (live ones, plus removed ones still serving requests). */
  get endpoints(): number {
    return this.slots.size;
  }

  /**
   * @internal The slots of `backends`, in order (created as needed), for allocation-free reads
   * of {@link InflightTracker.counts} in a selection. Idle slots of endpoints not listed are freed.
   */
  bind(backends: readonly Backend<unknown>[]): Int32Array {
    this.live.fill(0);
    const ids = new Int32Array(backends.length);
    for (let i = 0; i < backends.length; i++) {
      const endpoint = backends[i]!.endpoint;
      const slot = this.slots.get(endpoint) ?? this.allocate(endpoint, true);
      this.live[slot] = 1;
      ids[i] = slot;
    }
    for (const [endpoint, slot] of this.slots) if (this.live[slot] === 0 && this.counts[slot] === 0) this.release(endpoint, slot);
    return ids;
  }

  private allocate(endpoint: string, live: boolean): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot === this.counts.length) {
        const counts = new Int32Array(slot * 2);
        counts.set(this.counts);
        const liveFlags = new Uint8Array(slot * 2);
        liveFlags.set(this.live);
        this.counts = counts;
        this.live = liveFlags;
      }
    }
    this.counts[slot] = 0;
    this.live[slot] = live ? 1 : 0;
    this.slots.set(endpoint, slot);
    return slot;
  }

  private release(endpoint: string, slot: number): void {
    this.slots.delete(endpoint);
    this.free.push(slot);
  }
}
