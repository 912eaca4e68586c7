import type { Socket } from "node:net";

/** Bytes of one read buffer: what libuv would allocate per read by default. */
const AREA_BYTES = 64 * 1024;

/** Pieces up to this size are copied out of the read buffer ({@link copyOut}) instead of keeping it. */
export const READ_COPY_LIMIT = 4096;

/**
 * The read buffer of one plain TCP socket read through `onread` (see `net.Socket` and
 * {@link areaReadOptions}): the
 * socket reads into the same memory again and again instead of a fresh 64 KiB allocation
 * per read, and no `Readable` stream machinery runs per chunk. Whoever keeps a view of a
 * read past its callback calls {@link ReadArea.retain}; the next read then gets a new
 * buffer. Small pieces are cheaper to copy out ({@link copyOut}) than to retain.
 *
 * @example
 * ```ts
 * const area = new ReadArea();
 * const socket = net.connect({ port, onread: areaReadOptions(area) });
 * setAreaReader(socket, {
 *   onAreaData(buf, n) {
 *     kept.push(n <= READ_COPY_LIMIT ? copyOut(buf, 0, n) : (area.retain(), buf.subarray(0, n)));
 *   },
 * });
 * ```
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

/** A copy of bytes `start..end` of `buf` (small copies come from Node's shared pool). */
export function copyOut(buf: Uint8Array, start: number, end: number): Buffer {
  const copy = Buffer.allocUnsafe(end - start);
  copy.set(buf.subarray(start, end));
  return copy;
}

/** What a socket reading through a {@link ReadArea} hands its reads to (see {@link setAreaReader}). */
export interface AreaReader {
  /** A read: bytes `0..length` of the socket's read area, valid until this returns. */
  onAreaData(area: Buffer, length: number): void;
}

const kReader = Symbol.for("zp.http.area-reader");
type ReaderSocket = Socket & { [kReader]?: AreaReader };

// One module-level callback for every socket: no closure per connection or read.
function onAreaRead(this: ReaderSocket, nread: number, buf: Uint8Array): boolean {
  const reader = this[kReader];
  // no view per read: the reader parses `0..nread` of the area itself
  if (reader !== undefined) reader.onAreaData(buf as Buffer, nread);
  // no reader (the socket was handed over, e.g. to a tunnel): a `data` event, as from any socket
  else this.emit("data", Buffer.from(buf.subarray(0, nread)));
  return true; // pausing goes through socket.pause()
}

/**
 * The `onread` option that makes a socket read into `area` and hand each read to the
 * socket's {@link AreaReader} (or, without one, emit it as a `data` event, copied).
 */
export function areaReadOptions(area: ReadArea): { buffer: () => Buffer; callback: (nread: number, buf: Uint8Array) => boolean } {
  return { buffer: () => area.next(), callback: onAreaRead };
}

/** Routes the reads of a socket made with {@link areaReadOptions} to `reader` (undefined: back to `data` events). */
export function setAreaReader(socket: Socket, reader: AreaReader | undefined): void {
  if (reader === undefined) delete (socket as ReaderSocket)[kReader];
  else (socket as ReaderSocket)[kReader] = reader;
}

const kArea = Symbol.for("zp.http.read-area");
type AreaSocket = Socket & { [kArea]?: ReadArea };

/** Remembers the read area of a socket made with one. */
export function setReadArea(socket: Socket, area: ReadArea): void {
  (socket as AreaSocket)[kArea] = area;
}

/** The read area of a socket, when it reads through one. */
export function readAreaOf(socket: Socket): ReadArea | undefined {
  return (socket as AreaSocket)[kArea];
}
