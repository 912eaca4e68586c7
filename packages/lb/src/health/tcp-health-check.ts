import type { Backend } from "../backend.js";
import { resolveCommon, type ResolvedCommon } from "./check-options.js";
import { openConnection, type CheckTlsOptions } from "./connect.js";
import { connectTimeout, withDeadline } from "./deadline.js";
import type { CommonCheckOptions, HealthCheck } from "./health-check.js";

/** Options of {@link TcpHealthCheck}. */
export interface TcpHealthCheckOptions extends CommonCheckOptions {
  /**
   * Also complete a TLS handshake (verifying the certificate as configured: `sni`, `ca`,
   * `verifyCert`, `verifyHostname`...). `true` uses the defaults.
   */
  tls?: boolean | CheckTlsOptions;
}

/**
 * Healthy when a TCP connection (and, with `tls`, a TLS handshake) to the backend completes
 * within the timeout; the connection is closed at once (pingora's `TcpHealthCheck`).
 *
 * @example
 * ```ts
 * const check = new TcpHealthCheck({ timeoutMs: 500, consecutiveFailure: 3 });
 * await check.check(Backend.parse("127.0.0.1:8080"), AbortSignal.timeout(1000));
 * ```
 */
export class TcpHealthCheck implements HealthCheck {
  readonly consecutiveSuccess: number;
  readonly consecutiveFailure: number;
  private readonly common: ResolvedCommon;
  private readonly tls: CheckTlsOptions | undefined;

  /** @throws {@link LbError} `ZP_LB_INVALID_OPTION` for an option out of range. */
  constructor(options: TcpHealthCheckOptions = {}) {
    this.common = resolveCommon(options);
    this.consecutiveSuccess = this.common.consecutiveSuccess;
    this.consecutiveFailure = this.common.consecutiveFailure;
    this.tls = options.tls === true ? {} : options.tls === false ? undefined : options.tls;
  }

  async check(backend: Backend<unknown>, signal?: AbortSignal): Promise<void> {
    const port = this.common.port ?? backend.port;
    const where = `health check of ${backend.endpoint}`;
    await withDeadline(this.common.timeoutMs, signal, connectTimeout, where, async (deadline) => {
      const socket = await openConnection(backend.address, port, this.tls, this.common.timeoutMs, deadline);
      socket.destroy();
    });
  }
}
