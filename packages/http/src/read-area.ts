import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import { copyRange } from "./latin1.js";

/** Bytes of one read buffer: what libuv would allocate per read by default. */
const AREA_BYTES = 64 * 1024;

/** Pieces up to this size are copied out of the read buffer ({@link copyOut}) instead of keeping it. */
export const READ_COPY_LIMIT = 4096;

/**
 * The read buffer of plain TCP sockets read through `onread` (see `net.Socket` and
 * {@link areaReadOptions}): sockets read into the same memory again and again instead of a
 * fresh 64 KiB allocation per read, and no `Readable` stream machinery runs per chunk.
 *
 * {@link ReadArea.shared} is one area for every socket of the thread: an idle connection
 * then holds no read memory at all. What a reader keeps past a read's callback it copies
 * ({@link ReadArea.keep}). An area of one socket's own (`new ReadArea()`) may instead be
 * retained ({@link ReadArea.retain}): the next read then gets a new buffer, and large pieces
 * are kept without a copy.
 *
 * @example
 * ```ts
 * const area = new ReadArea();
 * const onread = areaReadOptions(area);
 * const socket = net.connect({ port, onread });
 * setReadArea(socket, onread);
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
  /** Whether sockets share this area (then nothing may be retained). */
  readonly isShared: boolean;

  /** An area for one socket (`shared`: for many, as {@link ReadArea.shared} is). */
  constructor(shared = false) {
    this.isShared = shared;
  }

  /**
   * The thread's shared area: every socket reading through it reads into the same 64 KiB,
   * one read at a time (each read's callback runs before the next read). Pieces that
   * outlive a callback must be copied ({@link ReadArea.keep} does), never retained.
   */
  static shared(): ReadArea {
    return (sharedArea ??= new ReadArea(true));
  }

  /** The buffer for the next read (called by the socket before every read). */
  next(): Buffer {
    if (this.retained) {
      this.retained = false;
      this.buf = Buffer.allocUnsafeSlow(AREA_BYTES);
    }
    return this.buf;
  }

  /**
   * A view of the current read outlives its callback: the next read must not overwrite it.
   * Only for an area of one socket: a shared area throws (other sockets would still read
   * into the retained buffer); use {@link ReadArea.keep}.
   */
  retain(): void {
    if (this.isShared) throw new Error("a shared ReadArea cannot be retained: copy what outlives the read (ReadArea.keep)");
    this.retained = true;
  }

  /**
   * Bytes `start..end` of the current read (`buf`, the area) as a Buffer that outlives the
   * callback: a copy from a shared area or for a small piece, else a view of a retained area.
   */
  keep(buf: Buffer, start: number, end: number): Buffer {
    if (this.isShared || end - start <= READ_COPY_LIMIT) return copyOut(buf, start, end);
    this.retained = true;
    return start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  }
}

let sharedArea: ReadArea | undefined;

/** A copy of bytes `start..end` of `buf` (small copies come from Node's shared pool). */
export function copyOut(buf: Uint8Array, start: number, end: number): Buffer {
  const copy = Buffer.allocUnsafe(end - start);
  copyRange(copy, 0, buf, start, end);
  return copy;
}

/** What a socket reading through a {@link ReadArea} hands its reads to (see {@link setAreaReader}). */
export interface AreaReader {
  /** A read: bytes `0..length` of the socket's read area, valid until this returns. */
  onAreaData(area: Buffer, length: number): void;
}

/**
 * The `onread` option of one socket (from {@link areaReadOptions}): the area it reads into
 * and the reader its reads go to. It lives beside the socket, not on it, so reading needs no
 * property lookup on the socket (sockets come in many shapes; such lookups are slow).
 */
export interface AreaReadOptions {
  /** The buffer for the next read (called by the socket). */
  readonly buffer: () => Buffer;
  /** Called by the socket with each read. */
  readonly callback: (nread: number, buf: Uint8Array) => boolean;
  /** The area the socket reads into. */
  readonly area: ReadArea;
}

/** An {@link AreaReadOptions} with the socket's reader. */
class AreaBinding implements AreaReadOptions {
  reader: AreaReader | undefined = undefined;
  readonly buffer: () => Buffer;
  readonly callback: (nread: number, buf: Uint8Array) => boolean;

  constructor(readonly area: ReadArea) {
    this.buffer = () => area.next();
    // one closure per socket (not per read); `this` is the socket
    const binding = this;
    this.callback = function onAreaRead(this: Socket, nread: number, buf: Uint8Array): boolean {
      const reader = binding.reader;
      // no view per read: the reader parses `0..nread` of the area itself
      if (reader !== undefined) reader.onAreaData(buf as Buffer, nread);
      // no reader (the socket was handed over, e.g. to a tunnel): a `data` event, as from any socket
      else this.emit("data", Buffer.from(buf.subarray(0, nread)));
      return true; // pausing goes through socket.pause()
    };
  }
}

const bindings = new WeakMap<Socket, AreaBinding>();

/**
 * The `onread` option that makes a socket read into `area` and hand each read to the
 * socket's {@link AreaReader} (or, without one, emit it as a `data` event, copied). Register
 * it with the socket made from it ({@link setReadArea}) before setting a reader.
 */
export function areaReadOptions(area: ReadArea): AreaReadOptions {
  return new AreaBinding(area);
}

/** Registers the `onread` option (from {@link areaReadOptions}) of a socket made with it. */
export function setReadArea(socket: Socket, onread: AreaReadOptions): void {
  if (!(onread instanceof AreaBinding)) throw new TypeError("setReadArea takes the options made by areaReadOptions");
  bindings.set(socket, onread);
}

/** The read area of a socket, when it reads through one. */
export function readAreaOf(socket: Socket): ReadArea | undefined {
  return bindings.get(socket)?.area;
}

/**
 * Routes the reads of a socket registered with {@link setReadArea} to `reader` (undefined:
 * back to `data` events).
 */
export function setAreaReader(socket: Socket, reader: AreaReader | undefined): void {
  const binding = bindings.get(socket);
  if (binding === undefined) throw new TypeError("setAreaReader: the socket does not read through a ReadArea (see setReadArea)");
  binding.reader = reader;
}
