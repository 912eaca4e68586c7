import type { ConnectionAdapter, IdleWatcher, LostReason } from "../../src/index.js";

/**
 * An in-memory connection for the bookkeeping tests: it can be closed by its "peer" (which
 * tells the watcher, as a socket's events would) or silently (as a socket destroyed by
 * someone else, whose close event is still queued).
 */
export class FakeConnection {
  open = true;
  unread = 0;
  closes = 0;
  watcher: IdleWatcher | undefined = undefined;

  constructor(readonly id: number) {}

  /** The peer closes it, or sends bytes: the watcher hears of it at once. */
  peer(reason: LostReason): void {
    if (reason === "peer-closed") this.open = false;
    else this.unread++;
    this.watcher?.lost(reason);
  }
}

/** The adapter of {@link FakeConnection}. */
export const fakeAdapter: ConnectionAdapter<FakeConnection> = {
  isReusable: (conn) => conn.open && conn.unread === 0,
  watch(conn, watcher) {
    conn.watcher = watcher;
  },
  unwatch(conn) {
    conn.watcher = undefined;
  },
  close(conn) {
    conn.open = false;
    conn.closes++;
  },
};
