import { ErrorType, ZpError } from "@zp/error";
import type { Listener } from "../listeners/listener.js";
import { isRawServerHandle } from "../listeners/raw-handle.js";
import { isRuntimeMessage, sendToParent } from "./messages.js";

/**
 * Asks the parent process for its listeners (a `hello`) and collects them until the end
 * marker. Used by workers (from the primary) and by a successor (from the old process).
 */
export function receiveListeners(timeoutMs: number): Promise<Listener[]> {
  if (process.send === undefined || !process.connected) {
    return Promise.reject(ZpError.explain(ErrorType.InternalError, "waiting for listeners from the parent process, but there is no IPC channel to it"));
  }
  return new Promise((resolve, reject) => {
    const received: Listener[] = [];
    const done = (): void => {
      clearTimeout(timer);
      process.off("message", onMessage);
      process.off("disconnect", onDisconnect);
    };
    const fail = (context: string): void => {
      done();
      reject(ZpError.explain(ErrorType.InternalError, context));
    };
    const onMessage = (message: unknown, handle: unknown): void => {
      if (!isRuntimeMessage(message)) return;
      if (message.zp === "listener" && isRawServerHandle(handle)) {
        received.push({ key: message.key, handle, bound: message.bound, ino: message.ino });
      } else if (message.zp === "listeners-end") {
        if (message.count !== received.length) return fail(`expected ${message.count} listeners from the parent process, got ${received.length}`);
        done();
        resolve(received);
      }
    };
    const onDisconnect = (): void => fail("the parent process went away while handing over its listeners");
    const timer = setTimeout(() => fail(`no listeners from the parent process within ${timeoutMs} ms`), timeoutMs);
    process.on("message", onMessage);
    process.once("disconnect", onDisconnect);
    sendToParent({ zp: "hello", pid: process.pid });
  });
}
