import { HttpError, HttpErrorType } from "./http-error.js";

/**
 * The reason phrases of the status codes in the IANA HTTP Status Code Registry
 * (RFC 9110 §15 and the RFCs it lists), by code.
 */
export const STATUS_REASONS: Readonly<Record<number, string>> = Object.freeze({
  100: "Continue",
  101: "Switching Protocols",
  102: "Processing",
  103: "Early Hints",
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  207: "Multi-Status",
  208: "Already Reported",
  226: "IM Used",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  305: "Use Proxy",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  418: "I'm a teapot",
  421: "Misdirected Request",
  422: "Unprocessable Content",
  423: "Locked",
  424: "Failed Dependency",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  506: "Variant Also Negotiates",
  507: "Insufficient Storage",
  508: "Loop Detected",
  510: "Not Extended",
  511: "Network Authentication Required",
});

/** The registered reason phrase of `status`, or `""` when it has none. */
export function reasonPhrase(status: number): string {
  return STATUS_REASONS[status] ?? "";
}

/** Whether `status` is a three-digit code (100..999), the range RFC 9110 §15 allows. */
export function isValidStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 100 && status <= 999;
}

/** Returns `status` if valid, else throws an {@link HttpError} `ZP_INVALID_STATUS`. */
export function checkStatus(status: number): number {
  if (!isValidStatus(status)) throw new HttpError(HttpErrorType.InvalidStatus, `status must be an integer in 100..999, got ${String(status)}`);
  return status;
}

/** 1xx: an interim response; the final one follows. */
export function isInformational(status: number): boolean {
  return status >= 100 && status < 200;
}

/** 2xx. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** 3xx. */
export function isRedirection(status: number): boolean {
  return status >= 300 && status < 400;
}

/** 4xx. */
export function isClientError(status: number): boolean {
  return status >= 400 && status < 500;
}

/** 5xx. */
export function isServerError(status: number): boolean {
  return status >= 500 && status < 600;
}

/**
 * Whether a response with this status, answering a request with this method, has no
 * body whatever its headers say (RFC 9112 §6.3): any response to HEAD, 1xx, 204, 304,
 * and a 2xx answer to CONNECT (the connection becomes a tunnel).
 */
export function statusHasNoBody(status: number, method?: string): boolean {
  if (status < 200 || status === 204 || status === 304) return true;
  if (method === "HEAD") return true;
  return method === "CONNECT" && status < 300;
}
