import { performance } from "node:perf_hooks";
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
 *
 * The read timer outlives a response: when one is complete the timer is parked, not
 * cancelled, and the next exchange on the connection takes it over (if it comes due no later
 * than the new wait would), so a keep-alive connection arms about one read timer per read
 * timeout period instead of one per request. A parked timer that fires does nothing.
 */
export class ExchangeTimers {
  private readonly wheel: TimerWheel;
  private readonly host: TimerHost;
  private readMs = 0;
  private lastRead = 0;
  private read = NO_TIMER;
  /** When the armed read timer comes due (its arming time plus its delay). */
  private readDue = 0;
  /** Whether a response is awaited: the armed read timer counts (else it is parked). */
  private waiting = false;
  private total = NO_TIMER;
  private continueWait = NO_TIMER;

  constructor(wheel: TimerWheel, host: TimerHost) {
    this.wheel = wheel;
    this.host = host;
  }

  /** Starts the read timeout (if not running), taking over a parked timer when it can. */
  armRead(ms: number): void {
    if (this.read !== NO_TIMER) {
      if (this.waiting) return;
      const now = turnNow();
      if (this.readDue <= now + ms) {
        // the parked timer comes due no later than this wait ends: it checks then
        this.waiting = true;
        this.readMs = ms;
        this.lastRead = now;
        return;
      }
      this.wheel.cancel(this.read);
      this.read = NO_TIMER;
    }
    this.readMs = ms;
    this.read = this.wheel.arm(ms, onRead, this);
    if (this.read === NO_TIMER) return; // Infinity: no read timeout
    // the wheel read the clock to arm: that is when the wait started
    this.lastRead = this.wheel.lastArmedAt;
    this.readDue = this.lastRead + ms;
    this.waiting = true;
  }

  /** A byte arrived: the read timeout starts over. */
  touch(): void {
    if (this.waiting) this.lastRead = turnNow();
  }

  /** The response is complete: the read timer is parked for the next exchange (see the class notes). */
  parkRead(): void {
    this.waiting = false;
  }

  /** The exchange is over and the connection may carry another: read parked, the others stopped. */
  endExchange(): void {
    this.waiting = false;
    this.cancelTotal();
    this.cancelContinue();
  }

  /** Stops the read timeout. */
  cancelRead(): void {
    this.waiting = false;
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
    if (!this.waiting) return; // parked: no response awaited
    const idle = performance.now() - this.lastRead;
    if (idle < this.readMs) {
      const left = this.readMs - idle;
      this.read = this.wheel.arm(left, onRead, this);
      this.readDue = this.wheel.lastArmedAt + left;
      return;
    }
    this.waiting = false;
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
