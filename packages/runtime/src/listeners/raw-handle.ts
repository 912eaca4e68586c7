import * as net from "node:net";
import { getSystemErrorName } from "node:util";
import { ErrorType, ZpError } from "@zp/error";

/**
 * The part of Node's native TCP/Pipe server handle the runtime uses. Such a handle is bound
 * but not yet listening, so the process holding it never accepts connections; it can be sent
 * to another process (`child.send(message, handle)`) and listened on there
 * (`netServer.listen(handle)`), which is how node:cluster shares listeners too.
 */
export interface RawServerHandle {
  /** The file descriptor, for logs. */
  readonly fd: number;
  /** Closes this process's descriptor; the socket lives on in processes that hold a copy. */
  close(callback?: () => void): void;
  /** Fills `out` with `address`, `port`, `family` (TCP handles only). */
  getsockname?(out: Record<string, unknown>): number;
}

type CreateServerHandle = (address: string, port: number, addressType: number) => RawServerHandle | number;

/** Node's own helper that creates and binds a server handle without listening (as node:cluster uses). */
function nodeCreateServerHandle(): CreateServerHandle {
  const create = (net as unknown as { _createServerHandle?: CreateServerHandle })._createServerHandle;
  if (typeof create !== "function") {
    throw ZpError.explain(ErrorType.BindError, "this Node.js has no net._createServerHandle; the runtime needs it to share listeners between processes");
  }
  return create;
}

function bindFailure(errno: number, what: string): ZpError {
  const name = getSystemErrorName(errno);
  const sys = Object.assign(new Error(`${name} ${what}`), { code: name, errno });
  return ZpError.because(ErrorType.BindError, what, sys);
}

/** Binds a TCP server handle to an IP address (`family` 4 or 6). Throws a `BindError` ZpError. */
export function bindTcpHandle(address: string, port: number, family: 4 | 6): RawServerHandle {
  const handle = nodeCreateServerHandle()(address, port, family);
  if (typeof handle === "number") throw bindFailure(handle, `binding ${family === 6 ? `[${address}]` : address}:${port}`);
  return handle;
}

/** Binds a Unix socket server handle to `path`. Throws a `BindError` ZpError. */
export function bindUnixHandle(path: string): RawServerHandle {
  const handle = nodeCreateServerHandle()(path, -1, -1);
  if (typeof handle === "number") throw bindFailure(handle, `binding unix:${path}`);
  return handle;
}

/** Whether a value received over IPC is a server handle. */
export function isRawServerHandle(value: unknown): value is RawServerHandle {
  return typeof value === "object" && value !== null && typeof (value as { close?: unknown }).close === "function" && typeof (value as { fd?: unknown }).fd === "number";
}
