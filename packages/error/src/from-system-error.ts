import { ErrorType } from "./error-type.js";
import { ZpError } from "./zp-error.js";

/** Node's system error codes mapped to the error type they mean while connecting. */
const connectCodes: Record<string, ErrorType> = {
  ECONNREFUSED: ErrorType.ConnectRefused,
  ETIMEDOUT: ErrorType.ConnectTimeout,
  EHOSTUNREACH: ErrorType.ConnectNoRoute,
  ENETUNREACH: ErrorType.ConnectNoRoute,
  EADDRNOTAVAIL: ErrorType.ConnectError,
  ENOTFOUND: ErrorType.ConnectError,
  EAI_AGAIN: ErrorType.ConnectError,
};

/** Node's system error codes mapped to the error type they mean on an open connection. */
const ioCodes: Record<string, ErrorType> = {
  ECONNRESET: ErrorType.ConnectionClosed,
  EPIPE: ErrorType.ConnectionClosed,
  ERR_STREAM_PREMATURE_CLOSE: ErrorType.ConnectionClosed,
  ETIMEDOUT: ErrorType.ReadTimeout,
};

/**
 * Turns an error from `node:net`/`node:tls` into a ZpError, choosing the type from
 * its `code`. `phase` says whether it happened while connecting or on an open
 * connection; unknown codes become `ConnectError` or `SocketError`.
 */
export function fromSystemError(err: unknown, phase: "connect" | "io", context?: string): ZpError {
  if (err instanceof ZpError) return context === undefined ? err : err.moreContext(context);
  const code = typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : "";
  const table = phase === "connect" ? connectCodes : ioCodes;
  let type = table[code];
  if (type === undefined) {
    if (code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS") || code.includes("CERT")) {
      type = code.includes("CERT") ? ErrorType.InvalidCert : ErrorType.TLSHandshakeFailure;
    } else {
      type = phase === "connect" ? ErrorType.ConnectError : ErrorType.SocketError;
    }
  }
  return new ZpError(type, context === undefined ? { cause: err } : { cause: err, context });
}
