import type { Socket } from "node:net";
import type { ConnectionAdapter, IdleWatcher } from "./connection-adapter.js";

/**
 * Where a socket keeps its watcher, so one set of listeners serves every socket:
 * `undefined` until the socket's first put, `null` while it is checked out.
 */
const kWatcher = Symbol("zp.pool.watcher");

type WatchedSocket = Socket & { [kWatcher]?: IdleWatcher | null };

// Shared listeners (no closure per socket): `this` is the socket that emitted.
function onIdleData(this: WatchedSocket): void {
  this[kWatcher]?.lost("unexpected-data");
}

function onSocketGone(this: WatchedSocket): void {
  this[kWatcher]?.lost("peer-closed");
}

function onSocketError(this: WatchedSocket, err: unknown): void {
  const watcher = this[kWatcher];
  if (watcher != null) watcher.lost("peer-closed");
  // Checked out with no error listener of the owner's: fail exactly as an unhandled
  // 'error' would (emit throws the error), instead of swallowing it.
  else if (this.listenerCount("error") === 1) throw err;
}

/**
 * The adapter for `net.Socket` and `tls.TLSSocket` (the pool's default).
 *
 * - Reusable: not destroyed, readable and writable, not connecting, `readableLength === 0`.
 * - While idle: any byte received is a protocol error (the socket is dropped); `end`,
 *   `close` and `error` (e.g. ECONNRESET) mean the peer closed it. An idle socket's error
 *   never becomes an uncaught exception. A paused socket is resumed when put, so that
 *   bytes are seen at once instead of sitting in its buffer.
 * - Cost: adding and removing a listener on a socket costs a few hundred ns, so only the
 *   `data` listener (which changes how the stream flows) is added on put and removed on
 *   get. The `end`, `close` and `error` listeners are added on the first put and stay:
 *   while the socket is checked out they do nothing, except that the `error` one rethrows
 *   when it is the socket's only error listener, so an error nobody handles still fails
 *   loudly, as it would without the pool.
 * - On checkout the socket stays in flowing mode: attach your `data` listener (or call
 *   `pause()`) before yielding to the event loop.
 * - Closing is `destroy()`.
 */
export const socketAdapter: ConnectionAdapter<Socket> = Object.freeze({
  isReusable(socket: Socket): boolean {
    return !socket.destroyed && socket.writable && socket.readable && socket.readableLength === 0 && !socket.connecting;
  },
  watch(socket: WatchedSocket, watcher: IdleWatcher): void {
    if (socket[kWatcher] === undefined) {
      socket.on("end", onSocketGone);
      socket.on("close", onSocketGone);
      socket.on("error", onSocketError);
    }
    socket[kWatcher] = watcher;
    socket.on("data", onIdleData);
    if (socket.readableFlowing !== true) socket.resume();
  },
  unwatch(socket: WatchedSocket): void {
    socket[kWatcher] = null;
    socket.removeListener("data", onIdleData);
  },
  close(socket: Socket): void {
    socket.destroy();
  },
});
