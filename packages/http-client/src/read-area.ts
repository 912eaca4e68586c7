import type { Socket } from "node:net";

/** Bytes of one read buffer: what libuv would allocate per read by default. */
const AREA_BYTES = 64 * 1024;

/** Body pieces up to this size are copied out of the read buffer instead of keeping it. */
export const COPY_LIMIT = 4096;

/**
 * The read buffer of one plain TCP upstream socket (`net.connect`'s `onread`): the socket
 * reads into the same memory again and again instead of a fresh 64 KiB allocation per read,
 * and no `Readable` stream machinery runs per chunk. Whoever keeps a view of a read past its
 * callback calls {@link retain}; the next read then gets a new buffer.
 */
export class ReadArea {
  private buf: Buffer = Buffer.allocUnsafeSlow(AREA_BYTES);
  private retained = false;

  /** The buffer for the next read (called by the socket before every read). */
  next(): Buffer {
    if (this.retained) {
      this.retained = false;
      this.buf = Buffer.allocUnsafeSlow(AREA_BYTES);
    }
    return this.buf;
  }

  /** A view of the current read outlives its callback: the next read must not overwrite it. */
  retain(): void {
    this.retained = true;
  }
}

const kArea = Symbol("zp.http-client.read-area");
type AreaSocket = Socket & { [kArea]?: ReadArea };

/** Remembers the read area of a socket made with one. */
export function setReadArea(socket: Socket, area: ReadArea): void {
  (socket as AreaSocket)[kArea] = area;
}

/** The read area of a socket, when it reads through one (plain TCP made by this package). */
export function readAreaOf(socket: Socket): ReadArea | undefined {
  return (socket as AreaSocket)[kArea];
}
