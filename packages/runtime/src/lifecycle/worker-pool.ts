import { type ChildProcess, spawn } from "node:child_process";
import { awaitChildMessage, handOverListeners } from "../ipc/hand-over.js";
import type { StopMessage } from "../ipc/messages.js";
import type { Listener } from "../listeners/listener.js";
import type { ErrorLog } from "../process/error-log.js";
import { type Command, childEnv } from "../process/process-origin.js";
import { delay } from "./delay.js";
import { RestartBackoff, type RestartBackoffOptions } from "./restart-backoff.js";
import { type ShutdownTiming, stopBudgetMs } from "./shutdown-timing.js";

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  readonly count: number;
  /** The program each worker runs (the server's own command line). */
  readonly command: Command;
  /** The listeners to share with each worker. */
  readonly listeners: () => readonly Listener[];
  readonly log: ErrorLog;
  /** How long a worker may take to take its listeners and start its services. */
  readonly startTimeoutMs: number;
  readonly restart?: RestartBackoffOptions;
}

interface Slot {
  readonly id: number;
  readonly backoff: RestartBackoff;
  child: ChildProcess | undefined;
  exited: Promise<void>;
  startedAt: number;
  restartTimer: NodeJS.Timeout | undefined;
}

/**
 * The primary's worker processes. Each gets a copy of every listening socket and accepts on
 * it itself, so the kernel spreads connections over the workers and the primary never touches
 * them. A worker that dies while the pool runs is restarted with exponential backoff; the
 * listening sockets stay open in the primary meanwhile, so connections wait in the accept
 * queue instead of being refused.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private running = false;
  private stopping = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.slots = Array.from({ length: options.count }, (_, id) => ({
      id,
      backoff: new RestartBackoff(options.restart),
      child: undefined,
      exited: Promise.resolve(),
      startedAt: 0,
      restartTimer: undefined,
    }));
  }

  /** Starts every worker and waits until all serve. Rejects if one fails to start. */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.launch(slot)));
    this.running = true;
  }

  /** The pids of the live workers, by worker id. */
  pids(): number[] {
    return this.slots.flatMap((s) => (s.child?.pid === undefined ? [] : [s.child.pid]));
  }

  /**
   * Stops the workers: they stop accepting and stop their services with the given timing.
   * Workers still alive when the time is up (plus a margin) are killed.
   */
  async stop(graceful: boolean, timing: ShutdownTiming): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    this.tell({ zp: "stop", graceful, graceMs: timing.graceMs, forceMs: timing.forceMs });
    const limit = delay(stopBudgetMs(graceful, timing) + 2_000);
    await Promise.race([Promise.all(this.slots.map((s) => s.exited)), limit.promise]);
    limit.cancel();
    const stuck = this.slots.filter((s) => s.child !== undefined);
    for (const slot of stuck) {
      this.options.log.warn(`worker ${slot.id} (pid ${slot.child!.pid}) did not exit in time; killing it`);
      slot.child!.kill("SIGKILL");
    }
    await Promise.all(stuck.map((s) => s.exited));
  }

  /** Turns a graceful stop in progress into a fast one. */
  escalate(): void {
    this.tell({ zp: "stop", graceful: false, graceMs: 0, forceMs: 1_000 });
  }

  private tell(message: StopMessage): void {
    for (const slot of this.slots) {
      const child = slot.child;
      if (child?.connected) child.send(message, undefined, {}, () => {});
    }
  }

  private async launch(slot: Slot): Promise<void> {
    const { command, log } = this.options;
    const child = spawn(command.command, command.args, {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: childEnv("worker", slot.id, command.env),
    });
    slot.child = child;
    slot.startedAt = Date.now();
    slot.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.onExit(slot, child, code, signal);
        resolve();
      });
    });
    child.on("error", (err) => log.error(`worker ${slot.id}`, err));
    const what = `starting worker ${slot.id}`;
    try {
      await handOverListeners(child, this.options.listeners(), this.options.startTimeoutMs, what);
      await awaitChildMessage(child, "ready", this.options.startTimeoutMs, what);
      log.info(`worker ${slot.id} ready (pid ${child.pid})`);
    } catch (err) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      throw err;
    }
  }

  private onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.child !== child) return;
    slot.child = undefined;
    if (this.stopping || !this.running) return;
    const wait = slot.backoff.next(Date.now() - slot.startedAt);
    this.options.log.error(`worker ${slot.id} (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`}); restarting it in ${wait} ms`);
    slot.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.launch(slot).catch((err: unknown) => this.options.log.error(`worker ${slot.id} failed to restart`, err));
    }, wait);
  }
}
