/**
 * What went wrong, independent of where. Each type has a stable `code` string
 * (safe to match on and to put in logs and metrics) and a `name` for humans.
 */
export interface ErrorType {
  /** Human-readable name, e.g. `ConnectTimeout` or `HTTPStatus(503)`. */
  readonly name: string;
  /** Stable machine-readable code, e.g. `ZP_CONNECT_TIMEOUT`. */
  readonly code: string;
  /** The HTTP status carried by an `HTTPStatus(code)` type. */
  readonly status?: number;
}

function define(name: string, code: string): ErrorType {
  return Object.freeze({ name, code });
}

const statusTypes = new Map<number, ErrorType>();

/** The error types known to every zingora package. Compare them by identity or by `code`. */
export const ErrorType = Object.freeze({
  // connecting
  ConnectTimeout: define("ConnectTimeout", "ZP_CONNECT_TIMEOUT"),
  ConnectRefused: define("ConnectRefused", "ZP_CONNECT_REFUSED"),
  ConnectNoRoute: define("ConnectNoRoute", "ZP_CONNECT_NO_ROUTE"),
  ConnectError: define("ConnectError", "ZP_CONNECT_ERROR"),
  ConnectProxyFailure: define("ConnectProxyFailure", "ZP_CONNECT_PROXY_FAILURE"),
  BindError: define("BindError", "ZP_BIND_ERROR"),
  AcceptError: define("AcceptError", "ZP_ACCEPT_ERROR"),
  SocketError: define("SocketError", "ZP_SOCKET_ERROR"),
  // TLS
  TLSHandshakeFailure: define("TLSHandshakeFailure", "ZP_TLS_HANDSHAKE_FAILURE"),
  TLSHandshakeTimeout: define("TLSHandshakeTimeout", "ZP_TLS_HANDSHAKE_TIMEOUT"),
  InvalidCert: define("InvalidCert", "ZP_INVALID_CERT"),
  HandshakeError: define("HandshakeError", "ZP_HANDSHAKE_ERROR"),
  // protocol
  InvalidHTTPHeader: define("InvalidHTTPHeader", "ZP_INVALID_HTTP_HEADER"),
  H1Error: define("H1Error", "ZP_H1_ERROR"),
  H2Error: define("H2Error", "ZP_H2_ERROR"),
  H2Downgrade: define("H2Downgrade", "ZP_H2_DOWNGRADE"),
  InvalidH2: define("InvalidH2", "ZP_INVALID_H2"),
  // I/O
  ReadError: define("ReadError", "ZP_READ_ERROR"),
  WriteError: define("WriteError", "ZP_WRITE_ERROR"),
  ReadTimeout: define("ReadTimeout", "ZP_READ_TIMEOUT"),
  WriteTimeout: define("WriteTimeout", "ZP_WRITE_TIMEOUT"),
  ConnectionClosed: define("ConnectionClosed", "ZP_CONNECTION_CLOSED"),
  // files
  FileOpenError: define("FileOpenError", "ZP_FILE_OPEN_ERROR"),
  FileCreateError: define("FileCreateError", "ZP_FILE_CREATE_ERROR"),
  FileReadError: define("FileReadError", "ZP_FILE_READ_ERROR"),
  FileWriteError: define("FileWriteError", "ZP_FILE_WRITE_ERROR"),
  // limits and the rest
  LimitExceeded: define("LimitExceeded", "ZP_LIMIT_EXCEEDED"),
  InternalError: define("InternalError", "ZP_INTERNAL_ERROR"),
  UnknownError: define("UnknownError", "ZP_UNKNOWN_ERROR"),

  /**
   * An error that should be answered with this HTTP status. The same object is
   * returned for the same status, so identity comparison works.
   */
  HTTPStatus(status: number): ErrorType {
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      throw new RangeError(`HTTPStatus needs an integer status in 100..999, got ${status}`);
    }
    let t = statusTypes.get(status);
    if (t === undefined) {
      t = Object.freeze({ name: `HTTPStatus(${status})`, code: "ZP_HTTP_STATUS", status });
      statusTypes.set(status, t);
    }
    return t;
  },

  /**
   * A user-defined type. `code` must be upper-case letters, digits and `_`; it is
   * namespaced as given, so pick one unlikely to clash (e.g. `MYAPP_AUTH_FAILED`).
   */
  Custom(name: string, code: string): ErrorType {
    if (!/^[A-Z][A-Z0-9_]*$/.test(code)) {
      throw new TypeError(`custom error code must match /^[A-Z][A-Z0-9_]*$/, got ${JSON.stringify(code)}`);
    }
    return Object.freeze({ name, code });
  },
});

/** Whether two error types are the same kind (same code, and same status for `HTTPStatus`). */
export function sameErrorType(a: ErrorType, b: ErrorType): boolean {
  return a === b || (a.code === b.code && a.status === b.status && a.name === b.name);
}
