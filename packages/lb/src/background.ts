/** @internal One periodic job of a {@link BackgroundRunner}. */
export interface PeriodicTask {
  /** Pause between the end of one run and the start of the next; `undefined` runs it only in the first round. */
  readonly intervalMs: number | undefined;
  /** One run; it handles its own errors. `signal` aborts on stop. */
  run(signal: AbortSignal): Promise<void>;
}

/**
 * @internal Runs a first round, then each task again `intervalMs` after its previous run ended
 * (runs of one task never overlap). Timers are unref'd: the runner never keeps a process
 * alive by itself. `stop()` aborts the signal, clears every timer and waits for the runs in
 * progress.
 */
export class BackgroundRunner {
  private controller: AbortController | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly inflight = new Set<Promise<void>>();
  private firstRound: Promise<void> | undefined;
  private stopReason: () => unknown = () => undefined;

  /** Whether it was started and not stopped. */
  get running(): boolean {
    return this.controller !== undefined;
  }

  /** Number of runs in progress and timers pending (0 once stopped). */
  get pending(): number {
    return this.timers.size + this.inflight.size;
  }

  /**
   * Starts: `first` now, then the periodic tasks. Resolves when the first round is done; a
   * second call while running returns the same promise.
   */
  start(first: (signal: AbortSignal) => Promise<void>, tasks: readonly PeriodicTask[], stopReason: () => unknown): Promise<void> {
    if (this.controller !== undefined && this.firstRound !== undefined) return this.firstRound;
    const controller = new AbortController();
    this.controller = controller;
    this.stopReason = stopReason;
    const round = this.track(first(controller.signal)).then(() => {
      for (const task of tasks) this.schedule(task, controller.signal);
    });
    this.firstRound = round;
    return round;
  }

  /** Stops: aborts runs in progress, clears the timers, and resolves once every run has ended. */
  async stop(): Promise<void> {
    const controller = this.controller;
    if (controller === undefined) return;
    this.controller = undefined;
    this.firstRound = undefined;
    controller.abort(this.stopReason());
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private schedule(task: PeriodicTask, signal: AbortSignal): void {
    if (task.intervalMs === undefined || signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (signal.aborted) return;
      void this.track(task.run(signal)).then(() => this.schedule(task, signal));
    }, task.intervalMs);
    timer.unref();
    this.timers.add(timer);
  }

  private track(work: Promise<void>): Promise<void> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(settled);
    void settled.then(() => this.inflight.delete(settled));
    return settled;
  }
}
