import type { Socket } from "node:net";

/** What a bound socket reports to: the connection that owns it. */
export interface SocketOwner {
  handleData(chunk: Buffer): void;
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
