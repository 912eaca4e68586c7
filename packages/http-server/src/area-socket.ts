import { Socket, type SocketConstructorOpts } from "node:net";
import { ReadArea, setReadArea } from "@zp/http";

/** What an adopted socket hands its reads to. */
export interface AreaReader {
  /** A read: bytes `0..length` of the socket's read area, valid until this returns. */
  onAreaData(area: Buffer, length: number): void;
}

const kReader = Symbol("zp.http-server.reader");
type ReaderSocket = Socket & { [kReader]?: AreaReader };

/** The stream handle under a `net.Socket` (libuv TCP), as far as adoption needs it. */
interface StreamHandle {
  reading: boolean;
  readStop(): number;
}

// One module-level callback for every socket: no closure per connection or read.
function onAreaRead(this: ReaderSocket, nread: number, buf: Uint8Array): boolean {
  const reader = this[kReader];
  if (reader !== undefined) reader.onAreaData(buf as Buffer, nread);
  // handed over (an upgrade): its new owner reads `data` events, as from any socket
  else this.emit("data", Buffer.from(buf.subarray(0, nread)));
  return true; // pausing goes through socket.pause()
}

/**
 * Re-wraps a freshly accepted plain TCP socket so that it reads into a {@link ReadArea}
 * (`onread`) instead of a new 64 KiB buffer and a pass through Node's `Readable` per read:
 * `net.Server` has no `onread` option of its own. The new socket takes over the handle
 * before any byte was read; the old wrapper is destroyed without closing it. Anything else
 * (TLS, a socket already read from, a handle of another kind) is returned as it is.
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
  const area = new ReadArea();
  const options = {
    handle,
    allowHalfOpen: (socket as { allowHalfOpen?: boolean }).allowHalfOpen === true,
    onread: { buffer: () => area.next(), callback: onAreaRead },
  } as SocketConstructorOpts;
  const adopted = new Socket(options);
  setReadArea(adopted, area);
  // the old wrapper has no handle left: destroying it only settles the listener's count
  socket.destroy();
  return adopted;
}

/** Routes the reads of an adopted socket to `reader`. */
export function bindReader(socket: Socket, reader: AreaReader): void {
  (socket as ReaderSocket)[kReader] = reader;
}

/** Stops routing reads to a reader: later reads are `data` events (with copied bytes). */
export function unbindReader(socket: Socket): void {
  delete (socket as ReaderSocket)[kReader];
}
