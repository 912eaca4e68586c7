import { NO_TIMER, type TimerWheel, turnNow } from "@zp/timeout";

/** What {@link ExchangeTimers} calls when a limit is reached. */
export interface TimerHost {
  /** No byte arrived for `ms` while the response was awaited. */
  readTimedOut(ms: number): void;
  /** The whole exchange took longer than its limit. */
  totalTimedOut(): void;
  /** No `100 Continue` came in time. */
  continueTimedOut(): void;
}

// Module-level callbacks: arming allocates no closure.
function onRead(t: ExchangeTimers): void {
  t.readFired();
}
function onTotal(t: ExchangeTimers): void {
  t.totalFired();
}
function onContinue(t: ExchangeTimers): void {
  t.continueFired();
}

/**
 * The response-side timers of one connection on the `@zp/timeout` wheel: read (reset by every
 * byte, without re-arming: the timer checks the time of the last byte when it fires), total
 * and the wait for `100 Continue`.
 */
export class ExchangeTimers {
  private readonly wheel: TimerWheel;
  private readonly host: TimerHost;
  private readMs = 0;
  private lastRead = 0;
  private read = NO_TIMER;
  private total = NO_TIMER;
  private continueWait = NO_TIMER;

  constructor(wheel: TimerWheel, host: TimerHost) {
    this.wheel = wheel;
    this.host = host;
  }

  /** Starts the read timeout (if not running). */
  armRead(ms: number): void {
    if (this.read !== NO_TIMER) return;
    this.readMs = ms;
    this.read = this.wheel.arm(ms, onRead, this);
    // the wheel read the clock to arm: that is when the wait started (Infinity arms nothing)
    this.lastRead = this.read !== NO_TIMER ? this.wheel.lastArmedAt : 0;
  }

  /** A byte arrived: the read timeout starts over. */
  touch(): void {
    if (this.read !== NO_TIMER) this.lastRead = turnNow();
  }

  /** Stops the read timeout. */
  cancelRead(): void {
    if (this.read !== NO_TIMER) {
      this.wheel.cancel(this.read);
      this.read = NO_TIMER;
    }
  }

  /** Starts the total timeout (`Infinity`: none). */
  armTotal(ms: number): void {
    if (ms !== Number.POSITIVE_INFINITY) this.total = this.wheel.arm(ms, onTotal, this);
  }

  /** Stops the total timeout. */
  cancelTotal(): void {
    if (this.total !== NO_TIMER) {
      this.wheel.cancel(this.total);
      this.total = NO_TIMER;
    }
  }

  /** Starts waiting for `100 Continue`. */
  armContinue(ms: number): void {
    this.cancelContinue();
    this.continueWait = this.wheel.arm(ms, onContinue, this);
  }

  /** Stops waiting for `100 Continue`. */
  cancelContinue(): void {
    if (this.continueWait !== NO_TIMER) {
      this.wheel.cancel(this.continueWait);
      this.continueWait = NO_TIMER;
    }
  }

  /** Stops every timer. */
  cancelAll(): void {
    this.cancelRead();
    this.cancelTotal();
    this.cancelContinue();
  }

  /** @internal */
  readFired(): void {
    this.read = NO_TIMER;
    const idle = performance.now() - this.lastRead;
    if (idle < this.readMs) {
      this.read = this.wheel.arm(this.readMs - idle, onRead, this);
      return;
    }
    this.host.readTimedOut(this.readMs);
  }

  /** @internal */
  totalFired(): void {
    this.total = NO_TIMER;
    this.host.totalTimedOut();
  }

  /** @internal */
  continueFired(): void {
    this.continueWait = NO_TIMER;
    this.host.continueTimedOut();
  }
}
