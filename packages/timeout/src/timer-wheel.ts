import { performance } from "node:perf_hooks";
import { Bucket } from "./bucket.js";
import { MAX_NATIVE_DELAY, assertDelay } from "./delay.js";
import { LAST_GENERATION_HANDLE, NO_TIMER, SLOT_MASK, SLOT_SPACE } from "./handle.js";
import { WheelTimer } from "./wheel-timer.js";
import { turnNow } from "./turn-clock.js";

/** Options for {@link TimerWheel}. */
export interface TimerWheelOptions {
  /**
   * Width of one tick in whole milliseconds (default 10). Deadlines are rounded up to a
   * tick boundary, so a timer fires up to this much later than asked, never earlier.
   */
  resolutionMs?: number;
  /** Timer slots allocated up front (default 1024); the wheel grows by doubling. */
  initialCapacity?: number;
}

/** The callback of an armed timer; receives the `arg` given to `arm`. */
export type TimerCallback<T> = (arg: T) => void;

const DEFAULT_RESOLUTION_MS = 10;
const DEFAULT_CAPACITY = 1024;
const BUCKET_CAPACITY = 16;
/** Idle buckets kept for reuse; more are left to the garbage collector. */
const BUCKET_POOL_LIMIT = 64;

function throwError(err: unknown): never {
  throw err;
}

/**
 * A coarse timer manager for the data path. Timers are grouped into buckets by their
 * deadline rounded up to the next tick (10 ms by default); each bucket is driven by one
 * unref'd native `setTimeout`, so thousands of timeouts that end in the same tick cost
 * one native timer, and none of them keeps the process alive.
 *
 * `arm` returns a number; `cancel` with it is O(1) and allocates nothing: entries live in
 * typed arrays and reused slots carry a generation, so stale handles are ignored.
 *
 * Timers are unref'd: they never keep the process alive, unless `keepAlive(handle)` asks.
 *
 * An emptied bucket keeps its native timer and fires into nothing: re-arming in the same
 * tick (the common arm/cancel churn of request timeouts) then never creates a timer again,
 * and the number of such idle timers is bounded by `longest delay / resolution`.
 *
 * @example
 * ```ts
 * const wheel = new TimerWheel({ resolutionMs: 10 });
 * const handle = wheel.arm(5_000, (conn) => conn.destroy(), conn);
 * // ... the response arrived in time:
 * wheel.cancel(handle);
 * ```
 */
export class TimerWheel {
  /** Width of one tick in milliseconds. */
  readonly resolutionMs: number;

  // Per-slot state, indexed by `handle & SLOT_MASK`.
  private handles: Float64Array;
  private keepsAlive: Uint8Array;
  private readonly callbacks: (TimerCallback<unknown> | undefined)[] = [];
  private readonly args: unknown[] = [];
  private readonly slotBuckets: (Bucket | undefined)[] = [];
  private freeSlots: Int32Array;
  private freeCount = 0;
  private armedAt = 0;
  private usedSlots = 0;

  private readonly buckets = new Map<number, Bucket>();
  private readonly bucketPool: Bucket[] = [];
  // The bucket armed into last: consecutive arms usually share a tick.
  private lastTick = Number.NaN;
  private lastBucket: Bucket | undefined = undefined;

  private armedCount = 0;
  private pendingCount = 0;
  private nativeStarts = 0;
  private readonly onBucketDue: (bucket: Bucket) => void;

  /** @param options See {@link TimerWheelOptions}. */
  constructor(options: TimerWheelOptions = {}) {
    const resolution = options.resolutionMs ?? DEFAULT_RESOLUTION_MS;
    if (!Number.isInteger(resolution) || resolution < 1 || resolution > MAX_NATIVE_DELAY) {
      throw new RangeError(`resolutionMs must be a whole number of milliseconds >= 1, got ${resolution}`);
    }
    const capacity = options.initialCapacity ?? DEFAULT_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > SLOT_SPACE) {
      throw new RangeError(`initialCapacity must be an integer in 1..${SLOT_SPACE}, got ${capacity}`);
    }
    this.resolutionMs = resolution;
    this.handles = new Float64Array(capacity);
    this.freeSlots = new Int32Array(capacity);
    this.keepsAlive = new Uint8Array(capacity);
    for (let slot = 0; slot < capacity; slot++) this.handles[slot] = slot;
    this.onBucketDue = (bucket) => this.fire(bucket);
  }

  /** Timers armed and not yet fired or cancelled. */
  get activeTimers(): number {
    return this.armedCount;
  }

  /**
   * The time the latest {@link TimerWheel.arm} (or `armPrecise`) measured from: a caller that
   * needs the time of arming too reads it here instead of the clock again.
   */
  get lastArmedAt(): number {
    return this.armedAt;
  }

  /** Native `setTimeout`s currently pending (one per bucket, including emptied ones). */
  get pendingBuckets(): number {
    return this.pendingCount;
  }

  /** Native `setTimeout`s started since the wheel was created (a metric and a test aid). */
  get nativeTimersStarted(): number {
    return this.nativeStarts;
  }

  /**
   * Arms a timer that calls `callback(arg)` once, no earlier than `ms` milliseconds after
   * the time of the current event-loop turn ({@link turnNow}: the clock read once per turn)
   * and at most about one resolution later (plus event-loop lag). Arming costs no clock
   * read when something read the time earlier in the turn; the price is that a timer armed
   * after N ms of synchronous work in one turn may fire up to N ms early. Where that
   * matters, use {@link TimerWheel.armPrecise}.
   *
   * - `ms <= 0` (including `-Infinity`) fires at the next tick boundary, never synchronously.
   * - `ms = Infinity` never fires: returns {@link NO_TIMER} and arms nothing.
   * - `NaN` throws a RangeError.
   * - Delays beyond 2^31-1 ms are supported (native timers are chained).
   *
   * A callback that throws does not stop the other timers of its tick; the error is
   * rethrown on the next turn of the event loop, like an error from `setTimeout`.
   *
   * @returns A positive handle for {@link TimerWheel.cancel}.
   */
  arm(ms: number, callback: () => void): number;
  arm<T>(ms: number, callback: TimerCallback<T>, arg: T): number;
  arm(ms: number, callback: TimerCallback<unknown>, arg?: unknown): number {
    return this.armFrom(ms < Number.POSITIVE_INFINITY ? turnNow() : 0, ms, callback, arg);
  }

  /**
   * {@link TimerWheel.arm} measured from a fresh clock reading: never earlier than `ms`
   * milliseconds from the call, however long the current turn has run.
   */
  armPrecise(ms: number, callback: () => void): number;
  armPrecise<T>(ms: number, callback: TimerCallback<T>, arg: T): number;
  armPrecise(ms: number, callback: TimerCallback<unknown>, arg?: unknown): number {
    return this.armFrom(ms < Number.POSITIVE_INFINITY ? performance.now() : 0, ms, callback, arg);
  }

  /** Arms at `now + ms` (`now` is read only for a finite `ms`: Infinity arms nothing, NaN throws). */
  private armFrom(now: number, ms: number, callback: TimerCallback<unknown>, arg: unknown): number {
    if (!(ms < Number.POSITIVE_INFINITY)) {
      assertDelay(ms);
      return NO_TIMER;
    }
    this.armedAt = now;
    const tick = Math.ceil((ms > 0 ? now + ms : now) / this.resolutionMs);
    const bucket = tick === this.lastTick ? this.lastBucket! : this.bucketFor(tick);

    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount]! : this.freshSlot();
    let handle = this.handles[slot]! + SLOT_SPACE;
    if (handle > LAST_GENERATION_HANDLE) handle = slot + SLOT_SPACE;
    this.handles[slot] = handle;
    this.callbacks[slot] = callback;
    this.args[slot] = arg;
    this.slotBuckets[slot] = bucket;
    bucket.push(handle);
    bucket.armed++;
    this.armedCount++;
    return handle;
  }

  /**
   * Like {@link TimerWheel.arm} but returns an object with `cancel()`. Allocates that
   * object once; cancelling allocates nothing.
   */
  schedule(ms: number, callback: () => void): WheelTimer;
  schedule<T>(ms: number, callback: TimerCallback<T>, arg: T): WheelTimer;
  schedule(ms: number, callback: TimerCallback<unknown>, arg?: unknown): WheelTimer {
    return new WheelTimer(this, this.arm(ms, callback, arg));
  }

  /**
   * Disarms a timer. O(1), allocation-free. A handle that already fired, was already
   * cancelled, belongs to a reused slot, or was never issued is ignored.
   *
   * @returns Whether a pending timer was cancelled.
   */
  cancel(handle: number): boolean {
    const slot = handle & SLOT_MASK;
    if (this.handles[slot] !== handle || this.callbacks[slot] === undefined) return false;
    const bucket = this.slotBuckets[slot]!;
    this.release(slot);
    // Every entry of an emptied bucket is stale, so forget them all at once.
    if (--bucket.armed === 0) bucket.length = 0;
    return true;
  }

  /**
   * Makes an armed timer keep the process alive until it fires or is cancelled (wheel
   * timers are unref'd by default). Ignores handles that are not armed.
   *
   * @returns Whether the timer was armed.
   */
  keepAlive(handle: number): boolean {
    const slot = handle & SLOT_MASK;
    if (this.handles[slot] !== handle || this.callbacks[slot] === undefined) return false;
    if (this.keepsAlive[slot] === 0) {
      this.keepsAlive[slot] = 1;
      const bucket = this.slotBuckets[slot]!;
      if (bucket.refs++ === 0) bucket.timer?.ref();
    }
    return true;
  }

  /** Whether `handle` is armed: not yet fired and not cancelled. */
  isArmed(handle: number): boolean {
    const slot = handle & SLOT_MASK;
    return this.handles[slot] === handle && this.callbacks[slot] !== undefined;
  }

  private bucketFor(tick: number): Bucket {
    let bucket = this.buckets.get(tick);
    if (bucket === undefined) {
      bucket = this.bucketPool.pop() ?? new Bucket(BUCKET_CAPACITY);
      bucket.tick = tick;
      bucket.deadline = tick * this.resolutionMs;
      this.buckets.set(tick, bucket);
      this.pendingCount++;
      // a fresh reading (once per bucket, not per arm): the native timer must be due at the
      // deadline's instant, whatever time the arm measured from
      this.startNative(bucket, performance.now());
    }
    this.lastTick = tick;
    this.lastBucket = bucket;
    return bucket;
  }

  private startNative(bucket: Bucket, now: number): void {
    const delay = Math.min(Math.ceil(bucket.deadline - now), MAX_NATIVE_DELAY);
    const timer = setTimeout(this.onBucketDue, delay, bucket);
    if (bucket.refs === 0) timer.unref();
    bucket.timer = timer;
    this.nativeStarts++;
  }

  private fire(bucket: Bucket): void {
    const now = performance.now();
    // Native timers may run a little early against this clock, and long delays are
    // chained: either way, wait for the rest.
    if (now < bucket.deadline) {
      this.startNative(bucket, now);
      return;
    }
    this.buckets.delete(bucket.tick);
    if (this.lastBucket === bucket) {
      this.lastBucket = undefined;
      this.lastTick = Number.NaN;
    }
    bucket.timer = undefined;
    this.pendingCount--;

    // Read once: callbacks may cancel entries of this bucket (which can reset its length),
    // but cannot add to it, since it is no longer in the map.
    const entries = bucket.entries;
    const count = bucket.length;
    for (let i = 0; i < count; i++) {
      const handle = entries[i]!;
      const slot = handle & SLOT_MASK;
      const callback = this.callbacks[slot];
      if (this.handles[slot] !== handle || callback === undefined) continue;
      const arg = this.args[slot];
      this.release(slot);
      try {
        callback(arg);
      } catch (err) {
        process.nextTick(throwError, err);
      }
    }

    bucket.length = 0;
    bucket.armed = 0;
    bucket.refs = 0;
    if (this.bucketPool.length < BUCKET_POOL_LIMIT) this.bucketPool.push(bucket);
  }

  private release(slot: number): void {
    if (this.keepsAlive[slot] === 1) {
      this.keepsAlive[slot] = 0;
      const bucket = this.slotBuckets[slot]!;
      if (--bucket.refs === 0) bucket.timer?.unref();
    }
    this.callbacks[slot] = undefined;
    this.args[slot] = undefined;
    this.slotBuckets[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
    this.armedCount--;
  }

  private freshSlot(): number {
    if (this.usedSlots === this.handles.length) this.grow();
    return this.usedSlots++;
  }

  private grow(): void {
    const capacity = this.handles.length;
    if (capacity >= SLOT_SPACE) {
      throw new RangeError(`a TimerWheel holds at most ${SLOT_SPACE} armed timers`);
    }
    const next = Math.min(capacity * 2, SLOT_SPACE);
    const handles = new Float64Array(next);
    handles.set(this.handles);
    for (let slot = capacity; slot < next; slot++) handles[slot] = slot;
    const freeSlots = new Int32Array(next);
    freeSlots.set(this.freeSlots);
    const keepsAlive = new Uint8Array(next);
    keepsAlive.set(this.keepsAlive);
    this.keepsAlive = keepsAlive;
    this.handles = handles;
    this.freeSlots = freeSlots;
  }
}
