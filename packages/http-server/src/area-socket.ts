import { Socket, type SocketConstructorOpts } from "node:net";
import { ReadArea, areaReadOptions, setReadArea } from "@zp/http";

/** The stream handle under a `net.Socket` (libuv TCP), as far as adoption needs it. */
interface StreamHandle {
  reading: boolean;
  readStop(): number;
}

/**
 * Re-wraps a freshly accepted plain TCP socket so that it reads into a {@link ReadArea}
 * (`onread`, see `areaReadOptions` of `@zp/http`) instead of a new 64 KiB buffer and a pass
 * through Node's `Readable` per read: `net.Server` has no `onread` option of its own. The new
 * socket takes over the handle before any byte was read; the old wrapper is destroyed
 * without closing it. Anything else (TLS, a socket already read from, a handle of another
 * kind) is returned as it is.
 */
export function adoptSocket(socket: Socket): Socket {
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (
    socket.constructor !== Socket ||
    handle === undefined ||
    handle === null ||
    typeof handle.readStop !== "function" ||
    socket.destroyed ||
    socket.bytesRead !== 0 ||
    socket.readableLength !== 0
  ) {
    return socket;
  }
  handle.reading = false;
  if (handle.readStop() !== 0) return socket;
  (socket as unknown as { _handle: StreamHandle | null })._handle = null;
  const area = ReadArea.shared();
  const onread = areaReadOptions(area);
  const options = {
    handle,
    allowHalfOpen: (socket as { allowHalfOpen?: boolean }).allowHalfOpen === true,
    onread,
  } as SocketConstructorOpts;
  const adopted = new Socket(options);
  setReadArea(adopted, onread);
  // the old wrapper has no handle left: destroying it only settles the listener's count
  socket.destroy();
  return adopted;
}
