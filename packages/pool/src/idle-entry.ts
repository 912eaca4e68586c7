import { NO_TIMER } from "@zp/timeout";
import type { IdleWatcher, LostReason } from "./connection-adapter.js";
import type { KeyBucket } from "./key-bucket.js";
import type { EvictionReason } from "./pool-stats.js";

/** Entry state: handed out (or not yet put); the caller owns the connection. */
export const OUT = 0;
/** Entry state: idle in the pool, linked into its key's list and the global list. */
export const IDLE = 1;
/** Entry state: closed by the pool; never kept again. */
export const CLOSED = 2;

/** The pool, as its entries see it: told when an idle entry must go. */
export interface EntryOwner<T> {
  evictIdle(entry: IdleEntry<T>, reason: EvictionReason): void;
}

/**
 * The pool's record of one connection. Made on the connection's first `put` and reused on
 * every later one, so a get/put cycle allocates nothing. While idle it sits in two
 * intrusive doubly linked lists: its key's (newest end = next to hand out) and the pool's
 * global one (oldest end = next to evict). It is also the connection's {@link IdleWatcher}.
 */
export class IdleEntry<T> implements IdleWatcher {
  /** {@link OUT}, {@link IDLE} or {@link CLOSED}. */
  state = OUT;
  /** The key the connection was last put under. */
  key = "";
  /** The key list the entry is in while idle. */
  bucket: KeyBucket<T> | undefined = undefined;
  keyOlder: IdleEntry<T> | undefined = undefined;
  keyNewer: IdleEntry<T> | undefined = undefined;
  older: IdleEntry<T> | undefined = undefined;
  newer: IdleEntry<T> | undefined = undefined;
  /**
   * Whether the entry expires at `deadline` by the pool's sweep (it has the pool's own idle
   * timeout, so deadlines grow in put order); otherwise it has a wheel timer, or none.
   */
  swept = false;
  /** When a swept entry's idle timeout ends, on the `performance.now()` clock. */
  deadline = 0;
  /** The wheel handle of an entry that is not swept, or NO_TIMER. */
  timer = NO_TIMER;
  /** Whether the wheel timer stands for the lifetime limit rather than the idle timeout. */
  timerIsLifetime = false;
  /** How many times the connection was put (and so used). */
  uses = 0;

  constructor(
    readonly conn: T,
    /** When the connection was made, on the `performance.now()` clock. */
    readonly createdAt: number,
    readonly owner: EntryOwner<T>,
  ) {}

  lost(reason: LostReason): void {
    if (this.state === IDLE) this.owner.evictIdle(this, reason);
  }
}
