import type { ChildProcess } from "node:child_process";
import type { Server as NetServer } from "node:net";
import type { Listener } from "../listeners/listener.js";
import { type RuntimeMessage, isRuntimeMessage } from "./messages.js";

/**
 * Resolves with the first runtime message of type `type` from `child`. Rejects when the child
 * reports `failed`, exits, or nothing comes within `timeoutMs`.
 */
export function awaitChildMessage<T extends RuntimeMessage["zp"]>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
  what: string,
): Promise<Extract<RuntimeMessage, { zp: T }>> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    const onMessage = (message: unknown): void => {
      if (!isRuntimeMessage(message)) return;
      if (message.zp === type) {
        done();
        resolve(message as Extract<RuntimeMessage, { zp: T }>);
      } else if (message.zp === "failed") {
        done();
        reject(new Error(`${what}: ${message.message}`));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      done();
      reject(new Error(`${what}: process ${child.pid} exited (${signal ?? `code ${code}`})`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what}: no answer from process ${child.pid} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/**
 * Waits until `child` says hello, then sends it every listener (one message per handle;
 * Node duplicates the descriptor into the child) and an end marker.
 */
export async function handOverListeners(child: ChildProcess, listeners: readonly Listener[], timeoutMs: number, what: string): Promise<void> {
  await awaitChildMessage(child, "hello", timeoutMs, what);
  for (const l of listeners) {
    // The handle is a native server handle; Node's IPC accepts it like a net.Server's.
    child.send({ zp: "listener", key: l.key, bound: l.bound, ino: l.ino }, l.handle as unknown as NetServer);
  }
  await new Promise<void>((resolve, reject) => {
    child.send({ zp: "listeners-end", count: listeners.length }, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}
