import type { Socket } from "node:net";

/** What a bound socket reports to: the connection that owns it. */
export interface SocketOwner {
  /** Bytes `0..length` of `chunk` arrived (all of it when `length` is left out). */
  handleData(chunk: Buffer, length?: number): void;
  handleEnd(): void;
  handleClose(): void;
  handleError(err: Error): void;
  handleDrain(): void;
}

const kOwner = Symbol("zp.http-client.owner");
type OwnedSocket = Socket & { [kOwner]?: SocketOwner };

// Module-level listeners, shared by every socket: no closure per connection.
function onData(this: OwnedSocket, chunk: Buffer): void {
  this[kOwner]?.handleData(chunk);
}

/**
 * `onread` callback of a socket reading into a {@link ReadArea}: `nread` bytes of `buf`,
 * valid until the callback returns. With no owner (the socket was handed over, e.g. to a
 * tunnel), the bytes are copied and emitted as a `data` event, as a plain socket would.
 */
export function onAreaRead(this: OwnedSocket, nread: number, buf: Uint8Array): boolean {
  const owner = this[kOwner];
  // no view per read: the owner parses `0..nread` of the area itself
  if (owner !== undefined) owner.handleData(buf as Buffer, nread);
  else this.emit("data", Buffer.from(buf.subarray(0, nread)));
  return true; // pausing goes through socket.pause()
}
function onEnd(this: OwnedSocket): void {
  this[kOwner]?.handleEnd();
}
function onClose(this: OwnedSocket): void {
  this[kOwner]?.handleClose();
}
function onError(this: OwnedSocket, err: Error): void {
  this[kOwner]?.handleError(err);
}
function onDrain(this: OwnedSocket): void {
  this[kOwner]?.handleDrain();
}

/**
 * Routes a socket's events to its owner for the socket's whole life: the listeners are
 * added once, so a connection going in and out of the pool adds and removes none.
 */
export function bindSocket(socket: Socket, owner: SocketOwner): void {
  (socket as OwnedSocket)[kOwner] = owner;
  socket.on("data", onData);
  socket.on("end", onEnd);
  socket.on("close", onClose);
  socket.on("error", onError);
  socket.on("drain", onDrain);
}

/** Removes the owner's listeners (the socket is handed over, e.g. after an upgrade). */
export function unbindSocket(socket: Socket): void {
  socket.removeListener("data", onData);
  socket.removeListener("end", onEnd);
  socket.removeListener("close", onClose);
  socket.removeListener("error", onError);
  socket.removeListener("drain", onDrain);
  delete (socket as OwnedSocket)[kOwner];
}
