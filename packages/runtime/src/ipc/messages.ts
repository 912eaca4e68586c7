import type { BoundAddress } from "../service.js";

/** Parent → child: one listening socket (the handle travels with the message). */
export interface ListenerMessage {
  readonly zp: "listener";
  readonly key: string;
  readonly bound: BoundAddress;
  readonly ino: number | null;
}

/** Parent → child: all listeners were sent. */
export interface ListenersEndMessage {
  readonly zp: "listeners-end";
  readonly count: number;
}

/** Primary → worker: stop serving. */
export interface StopMessage {
  readonly zp: "stop";
  readonly graceful: boolean;
  readonly graceMs: number;
  readonly forceMs: number;
}

/** Child → parent: the child listens for messages and can take the listeners. */
export interface HelloMessage {
  readonly zp: "hello";
  readonly pid: number;
}

/** Child → parent: the child serves (a successor: it has taken over). */
export interface ReadyMessage {
  readonly zp: "ready";
  readonly pid: number;
}

/** Child → parent: the child could not start. */
export interface FailedMessage {
  readonly zp: "failed";
  readonly pid: number;
  readonly message: string;
}

/** Every message of the runtime's IPC protocol. */
export type RuntimeMessage = ListenerMessage | ListenersEndMessage | StopMessage | HelloMessage | ReadyMessage | FailedMessage;

/** Whether an IPC message belongs to the runtime's protocol. */
export function isRuntimeMessage(message: unknown): message is RuntimeMessage {
  return typeof message === "object" && message !== null && typeof (message as { zp?: unknown }).zp === "string";
}

/** Sends a message to the parent process if the IPC channel is still open. */
export function sendToParent(message: RuntimeMessage): void {
  if (process.send !== undefined && process.connected) process.send(message, undefined, {}, () => {});
}

/** Closes the IPC channel to the parent, if open. */
export function disconnectFromParent(): void {
  if (process.connected) process.disconnect();
}
