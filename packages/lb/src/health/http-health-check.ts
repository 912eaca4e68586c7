import { ErrorType, ZpError } from "@zp/error";
import { RequestHeader, expectsRequestBody } from "@zp/http";
import type { Backend } from "../backend.js";
import { LbError, LbErrorType } from "../lb-error.js";
import { integerOption } from "../option-checks.js";
import { resolveCommon, type ResolvedCommon } from "./check-options.js";
import { openConnection, type CheckTlsOptions } from "./connect.js";
import { withDeadline } from "./deadline.js";
import type { CommonCheckOptions, HealthCheck } from "./health-check.js";
import { exchange, type HealthResponse } from "./http-exchange.js";

/**
 * Decides whether a response means healthy: return `false` or throw for unhealthy; anything
 * else (including `undefined`) is healthy. May be async.
 */
export type HealthValidator = (response: HealthResponse, backend: Backend<unknown>) => boolean | void | Promise<boolean | void>;

/** Options of {@link HttpHealthCheck}. */
export interface HttpHealthCheckOptions extends CommonCheckOptions {
  /** The `Host` header, and the default TLS server name (default: the backend's `address:port`). */
  host?: string;
  /** Request target, origin-form (default `/`). */
  path?: string;
  /** Request method (default `GET`); `HEAD` responses are read without a body. */
  method?: string;
  /** Extra request header fields. */
  headers?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
  /**
   * Status codes that mean healthy (default 200). Checked unless only a `validator` is given;
   * with both, both must pass.
   */
  expectedStatus?: number | readonly number[];
  /** Inspects status, headers and body; see {@link HealthValidator}. */
  validator?: HealthValidator;
  /** Speak HTTPS: `true` with the defaults (verification on, SNI = `host`), or `@zp/tls` peer options. */
  tls?: boolean | CheckTlsOptions;
  /** Largest body read for the validator, in bytes (default 65 536); a larger body fails the check. */
  maxBodyBytes?: number;
}

/**
 * Healthy when the backend answers an HTTP/1.1 request with an expected status (or one the
 * validator accepts) within the timeout (pingora's `HttpHealthCheck`). Every check opens a
 * new connection (TCP, or TLS with the certificate verified) and sends `Connection: close`,
 * so firewalls and L4 balancers in the way are exercised each time. The request is a
 * `@zp/http` `RequestHeader`, the response is read with `@zp/h1-parser`.
 *
 * @example
 * ```ts
 * const check = new HttpHealthCheck({
 *   host: "api.example.com", path: "/healthz", tls: true,
 *   validator: (res) => res.headers.get("x-ready") === "1",
 * });
 * ```
 */
export class HttpHealthCheck implements HealthCheck {
  readonly consecutiveSuccess: number;
  readonly consecutiveFailure: number;
  private readonly common: ResolvedCommon;
  private readonly options: HttpHealthCheckOptions;
  private readonly method: string;
  private readonly expected: readonly number[] | undefined;
  private readonly tls: CheckTlsOptions | undefined;
  private readonly maxBodyBytes: number;
  /** The request with a placeholder Host, validated once; cloned per backend when `host` is unset. */
  private readonly template: RequestHeader;
  private readonly fixed: Buffer | undefined;

  /**
   * @throws {@link LbError} `ZP_LB_INVALID_OPTION` for an option out of range, `HttpError` for
   *   an invalid method, path or header.
   */
  constructor(options: HttpHealthCheckOptions = {}) {
    this.common = resolveCommon(options);
    this.consecutiveSuccess = this.common.consecutiveSuccess;
    this.consecutiveFailure = this.common.consecutiveFailure;
    this.options = options;
    this.method = options.method ?? "GET";
    this.maxBodyBytes = integerOption(options.maxBodyBytes, 65_536, "maxBodyBytes", 0, 2 ** 30);
    const expected = options.expectedStatus;
    this.expected = expected === undefined ? (options.validator === undefined ? [200] : undefined) : typeof expected === "number" ? [expected] : expected.slice();
    for (const s of this.expected ?? []) integerOption(s, 0, "expectedStatus", 100, 999);
    if (options.tls === true || typeof options.tls === "object") {
      const tls: CheckTlsOptions = options.tls === true ? {} : { ...options.tls };
      if (tls.sni === undefined && options.host !== undefined) tls.sni = options.host.replace(/:\d+$/, "");
      this.tls = tls;
    }
    const path = options.path ?? "/";
    if (!path.startsWith("/")) throw new LbError(LbErrorType.InvalidOption, `path must be origin-form ("/..."), got ${JSON.stringify(path)}`);
    const req = RequestHeader.build(this.method, path).insertHeader("Host", options.host ?? "placeholder");
    const headers = options.headers === undefined ? [] : Array.isArray(options.headers) ? options.headers : Object.entries(options.headers);
    for (const [name, value] of headers as ReadonlyArray<readonly [string, string]>) req.appendHeader(name, value);
    if (!req.headers.has("user-agent")) req.appendHeader("User-Agent", "zingora-health-check");
    if (expectsRequestBody(this.method) && !req.headers.has("content-length")) req.appendHeader("Content-Length", "0");
    req.insertHeader("Connection", "close");
    this.template = req;
    this.fixed = options.host === undefined ? undefined : req.toBuffer();
  }

  /** The request bytes sent to `backend`. */
  request(backend: Backend<unknown>): Buffer {
    if (this.fixed !== undefined) return this.fixed;
    const port = this.common.port ?? backend.port;
    const host = backend.family === 6 ? `[${backend.address}]:${port}` : `${backend.address}:${port}`;
    return this.template.clone().insertHeader("Host", host).toBuffer();
  }

  async check(backend: Backend<unknown>, signal?: AbortSignal): Promise<void> {
    const port = this.common.port ?? backend.port;
    const where = `health check of ${backend.endpoint}`;
    let phase: "connect" | "read" = "connect";
    const response = await withDeadline(
      this.common.timeoutMs,
      signal,
      () => (phase === "connect" ? ErrorType.ConnectTimeout : ErrorType.ReadTimeout),
      where,
      async (deadline) => {
        const socket = await openConnection(backend.address, port, this.tls, this.common.timeoutMs, deadline);
        phase = "read";
        return exchange(socket, this.request(backend), this.method === "HEAD", this.maxBodyBytes, where, deadline);
      },
    );
    if (this.expected !== undefined && !this.expected.includes(response.status)) {
      throw ZpError.explain(ErrorType.HTTPStatus(response.status), `${where}: status ${response.status}, expected ${this.expected.join(" or ")}`).asUpstream();
    }
    if (this.options.validator !== undefined) {
      let verdict: boolean | void;
      try {
        verdict = await this.options.validator(response, backend);
      } catch (err) {
        throw new LbError(LbErrorType.CheckRejected, `${where}: the validator refused the response`, err).asUpstream();
      }
      if (verdict === false) throw new LbError(LbErrorType.CheckRejected, `${where}: the validator refused the response`).asUpstream();
    }
  }
}
