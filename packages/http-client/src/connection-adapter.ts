import type { ConnectionAdapter, IdleWatcher } from "@zp/pool";
import type { ClientConnection } from "./client-connection.js";

/**
 * How `@zp/pool` handles a {@link ClientConnection}. The connection keeps its socket
 * listeners for life and reports to the watcher while idle, so putting and getting adds or
 * removes no listener. With `unrefIdle`, idle sockets are unref'd (as with node:http's agent):
 * the pool never keeps the process alive. Without, they stay as they are, for a pool whose
 * owner closes it when done (a proxy's): two native calls fewer per request.
 */
function clientAdapter(unrefIdle: boolean): ConnectionAdapter<ClientConnection> {
  return Object.freeze({
    isReusable(conn: ClientConnection): boolean {
      return conn.isIdleReusable();
    },
    watch(conn: ClientConnection, watcher: IdleWatcher): void {
      conn.idleWatcher = watcher;
      if (unrefIdle) conn.socket.unref();
    },
    unwatch(conn: ClientConnection): void {
      conn.idleWatcher = undefined;
      if (unrefIdle) conn.socket.ref();
    },
    close(conn: ClientConnection): void {
      conn.close();
    },
  });
}

/** The adapter of a pool whose idle sockets let the process exit (the default). */
export const clientConnectionAdapter = clientAdapter(true);

/** The adapter of a pool whose idle sockets stay ref'd (`unrefIdle: false`). */
export const heldClientConnectionAdapter = clientAdapter(false);
