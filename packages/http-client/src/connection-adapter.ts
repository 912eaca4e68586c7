import type { ConnectionAdapter, IdleWatcher } from "@zp/pool";
import type { ClientConnection } from "./client-connection.js";

/**
 * How `@zp/pool` handles a {@link ClientConnection}. The connection keeps its socket
 * listeners for life and reports to the watcher while idle, so putting and getting adds or
 * removes no listener. Idle sockets are unref'd: a pool never keeps the process alive
 * ({@link heldClientConnectionAdapter} leaves them as they are).
 */
export const clientConnectionAdapter: ConnectionAdapter<ClientConnection> = Object.freeze({
  isReusable(conn: ClientConnection): boolean {
    return conn.isIdleReusable();
  },
  watch(conn: ClientConnection, watcher: IdleWatcher): void {
    conn.idleWatcher = watcher;
    // An idle connection never keeps the process alive, as with node:http's agent.
    conn.socket.unref();
  },
  unwatch(conn: ClientConnection): void {
    conn.idleWatcher = undefined;
    conn.socket.ref();
  },
  close(conn: ClientConnection): void {
    conn.close();
  },
});

/**
 * {@link clientConnectionAdapter} for a pool whose owner closes it when done (a proxy's):
 * idle sockets stay ref'd, which saves two native calls per request.
 */
export const heldClientConnectionAdapter: ConnectionAdapter<ClientConnection> = Object.freeze({
  isReusable: clientConnectionAdapter.isReusable,
  watch(conn: ClientConnection, watcher: IdleWatcher): void {
    conn.idleWatcher = watcher;
  },
  unwatch(conn: ClientConnection): void {
    conn.idleWatcher = undefined;
  },
  close: clientConnectionAdapter.close,
});
