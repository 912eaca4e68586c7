import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { awaitChildMessage } from "../ipc/hand-over.js";
import type { ErrorLog } from "./error-log.js";
import { childEnv, selfCommand } from "./process-origin.js";

/**
 * Starts this program again in the background: detached into its own session, stdin closed,
 * stdout and stderr appended to the error log (or discarded). Waits until the background
 * process serves and has written the pid file, then returns its pid; throws if it fails to
 * start. The caller then exits, as the parent of a classic double fork does.
 */
export async function daemonize(errorLog: string | null, timeoutMs: number, log: ErrorLog): Promise<number> {
  const { command, args } = selfCommand();
  const out = errorLog === null ? "ignore" : openSync(errorLog, "a");
  const child = spawn(command, args, { detached: true, stdio: ["ignore", out, out, "ipc"], env: childEnv("daemon") });
  if (typeof out === "number") closeSync(out);
  child.on("error", (err) => log.error("cannot start the background process", err));
  try {
    await awaitChildMessage(child, "ready", timeoutMs, "starting in the background");
    return child.pid!;
  } finally {
    if (child.connected) child.disconnect();
    child.unref();
  }
}
