/** Why an idle connection can no longer be reused, as reported by an adapter. */
export type LostReason = "peer-closed" | "unexpected-data";

/**
 * Told by an adapter when an idle connection it watches dies or receives bytes.
 * The pool passes one to {@link ConnectionAdapter.watch}; calling `lost` after the
 * connection left the pool is harmless (it is ignored).
 */
export interface IdleWatcher {
  /** The watched idle connection can no longer be reused. */
  lost(reason: LostReason): void;
}

/**
 * How the pool handles one kind of connection. {@link socketAdapter} covers `net.Socket`
 * and `tls.TLSSocket`; write one for any other transport (or for a wrapper object that
 * owns a socket).
 */
export interface ConnectionAdapter<T> {
  /**
   * Whether the connection may be kept for reuse: open both ways, not still connecting,
   * nothing unread. Called on `put` and again on `get`, so it must be cheap.
   */
  isReusable(conn: T): boolean;
  /**
   * Starts watching a connection that just became idle: call `watcher.lost(...)` as soon
   * as it closes, fails or receives unexpected bytes. Errors of an idle connection must be
   * handled here (never left to become uncaught).
   */
  watch(conn: T, watcher: IdleWatcher): void;
  /** Stops watching: the connection is handed out and belongs to the caller again. */
  unwatch(conn: T): void;
  /**
   * Closes the connection for good. The pool calls it without `unwatch` first, so the
   * watch may keep swallowing errors of the dying connection.
   */
  close(conn: T): void;
}
