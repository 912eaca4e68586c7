import { ErrorType, ZpError } from "@zp/error";
import type { ClientConnection } from "./client-connection.js";

/**
 * Ties an `AbortSignal` to the connection of one request: on abort the connection is closed
 * (pending reads fail). An object listener, so binding allocates no closure.
 */
export class AbortBinding {
  private conn: ClientConnection | undefined = undefined;
  readonly signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.signal = signal;
    signal.addEventListener("abort", this);
  }

  /** Sets the connection the request currently uses (a retry changes it). */
  attach(conn: ClientConnection): void {
    this.conn = conn;
    if (this.signal.aborted) this.handleEvent();
  }

  /** @internal The `abort` listener. */
  handleEvent(): void {
    const conn = this.conn;
    if (conn === undefined) return;
    this.conn = undefined;
    conn.destroy(ZpError.because(ErrorType.InternalError, "the request was aborted", this.signal.reason).asDownstream().withRetry(false));
  }

  /** Stops listening (the exchange ended). */
  unbind(): void {
    this.conn = undefined;
    this.signal.removeEventListener("abort", this);
  }
}
