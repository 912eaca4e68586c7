import { ErrorType, RetryType, type ZpError } from "@zp/error";
import { type HttpPeer, endpointOf } from "./http-peer.js";
import type { Session } from "./session.js";

/**
 * The status a failed request is answered with (Pingora's mapping, with timeouts as 504):
 *
 * - `HTTPStatus(n)` → `n`;
 * - from the upstream: `ReadTimeout`, `WriteTimeout`, `TotalTimeout` → 504, anything else
 *   (refused, connect timeout, TLS, reset, malformed response) → 502;
 * - from the client: a connection that is gone (`ConnectionClosed`, `ReadError`,
 *   `WriteError`) → 0 (nothing can be sent), `ReadTimeout` → 408, anything else → 400;
 * - internal or unknown → 500.
 */
export function errorStatus(error: ZpError): number {
  const status = error.type.status;
  if (status !== undefined) return status;
  switch (error.source) {
    case "Upstream": {
      const code = error.code;
      return code === "ZP_READ_TIMEOUT" || code === "ZP_WRITE_TIMEOUT" || code === "ZP_TOTAL_TIMEOUT" ? 504 : 502;
    }
    case "Downstream":
      if (error.is(ErrorType.ConnectionClosed) || error.is(ErrorType.ReadError) || error.is(ErrorType.WriteError)) return 0;
      return error.is(ErrorType.ReadTimeout) ? 408 : 400;
    default:
      return 500;
  }
}

/** The default `failToProxy`: answers with {@link errorStatus}'s error page (when it is not 0) and returns the status. */
export function defaultFailToProxy(session: Session, error: ZpError): number {
  const status = errorStatus(error);
  if (status > 0) session.respondError(status);
  return status;
}

/**
 * The default `errorWhileProxy`: adds the peer to the error's context and decides a
 * `ReusedOnly` retry: only when the connection was reused and the request body can be sent
 * again.
 */
export function defaultErrorWhileProxy(peer: HttpPeer, session: Session, error: ZpError, clientReused: boolean): ZpError {
  error.moreContext(`peer: ${endpointOf(peer)}`);
  if (error.retry.kind === "reused-only") {
    const body = session.body;
    error.withRetry(RetryType.Decided(clientReused && (body === undefined || body.replayable)));
  }
  return error;
}
