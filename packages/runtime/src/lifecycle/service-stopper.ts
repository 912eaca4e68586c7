import type { ErrorLog } from "../process/error-log.js";
import type { Service, StopOptions } from "../service.js";
import { delay } from "./delay.js";
import { FAST_STOP_BUDGET_MS, type ShutdownTiming } from "./shutdown-timing.js";

/**
 * Stops services the way Pingora's shutdown does: a graceful stop gives them the grace period,
 * then asks the ones still busy to force-close and waits at most the shutdown timeout; a fast
 * stop asks them all to close now. A fast stop requested during a graceful one (`escalate`)
 * ends the grace period at once.
 */
export class ServiceStopper {
  private escalated = false;
  private onEscalate: (() => void) | undefined;

  constructor(
    private readonly services: readonly Service[],
    private readonly log: ErrorLog,
  ) {}

  /** Ends a graceful stop's grace period now. */
  escalate(): void {
    this.escalated = true;
    this.onEscalate?.();
  }

  /** Stops every service; settles when all have stopped or the time is up. Never rejects. */
  async stop(graceful: boolean, timing: ShutdownTiming): Promise<void> {
    const unfinished = new Set(this.services);
    const run = (service: Service, options: StopOptions): Promise<void> =>
      Promise.resolve()
        .then(() => service.stop(options))
        .then(
          () => void unfinished.delete(service),
          (err: unknown) => {
            this.log.error(`service ${service.name} failed to stop`, err);
            unfinished.delete(service);
          },
        );

    if (graceful && !this.escalated) {
      const grace = delay(timing.graceMs);
      const escalation = new Promise<void>((resolve) => (this.onEscalate = resolve));
      const all = Promise.all(this.services.map((s) => run(s, { graceful: true, deadline: Date.now() + timing.graceMs })));
      await Promise.race([all, grace.promise, escalation]);
      grace.cancel();
      if (unfinished.size === 0) return;
      this.log.warn(`grace period over; force-closing ${names(unfinished)}`);
    }

    const budget = graceful ? timing.forceMs : Math.min(timing.forceMs, FAST_STOP_BUDGET_MS);
    const deadline = Date.now() + budget;
    const timer = delay(budget);
    await Promise.race([Promise.all([...unfinished].map((s) => run(s, { graceful: false, deadline }))), timer.promise]);
    timer.cancel();
    if (unfinished.size > 0) this.log.warn(`${names(unfinished)} did not stop within ${budget} ms; exiting anyway`);
  }
}

function names(services: Iterable<Service>): string {
  return [...services].map((s) => `service ${s.name}`).join(", ");
}
