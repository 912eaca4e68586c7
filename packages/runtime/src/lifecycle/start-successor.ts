import { spawn } from "node:child_process";
import { ErrorType, ZpError } from "@zp/error";
import { awaitChildMessage, handOverListeners } from "../ipc/hand-over.js";
import type { Listener } from "../listeners/listener.js";
import type { ErrorLog } from "../process/error-log.js";
import { type Command, childEnv } from "../process/process-origin.js";

/** The error type of a failed upgrade (the old process keeps serving). */
export const UpgradeFailed = ErrorType.Custom("UpgradeFailed", "ZP_UPGRADE_FAILED");

/**
 * The upgrading side of a zero-downtime upgrade: starts the successor detached (its own
 * session, so it outlives this process) with an IPC channel, sends it every listening socket
 * and waits until it serves. Returns its pid; the caller then stops accepting and drains. On
 * failure (or `signal` aborting) the successor is killed and a `ZP_UPGRADE_FAILED` ZpError
 * is thrown.
 */
export async function startSuccessor(command: Command, listeners: readonly Listener[], timeoutMs: number, log: ErrorLog, signal: AbortSignal): Promise<number> {
  const child = spawn(command.command, command.args, {
    detached: true,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: childEnv("successor", 0, command.env),
  });
  child.on("error", (err) => log.error("successor", err));
  const kill = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  signal.addEventListener("abort", kill, { once: true });
  try {
    if (child.pid === undefined) throw new Error(`cannot start ${command.command}`);
    await handOverListeners(child, listeners, timeoutMs, "handing over the listeners");
    await awaitChildMessage(child, "ready", timeoutMs, "waiting for the successor to serve");
    if (signal.aborted) throw new Error("the upgrade was cancelled by a shutdown");
    return child.pid;
  } catch (err) {
    kill();
    throw ZpError.because(UpgradeFailed, `starting successor ${command.command}`, err);
  } finally {
    signal.removeEventListener("abort", kill);
    if (child.connected) child.disconnect();
    child.unref();
  }
}
