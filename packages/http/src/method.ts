import { HttpError, HttpErrorType, preview } from "./http-error.js";
import { isToken } from "./token.js";

/**
 * An HTTP request method: one of the standard methods of RFC 9110 §9 and RFC 5789
 * (see {@link Method}) or any other token. Methods are case-sensitive.
 */
export type Method = "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "CONNECT" | "OPTIONS" | "TRACE" | "PATCH" | (string & {});

/** The standard methods as constants: `Method.GET === "GET"`. */
export const Method = Object.freeze({
  GET: "GET",
  HEAD: "HEAD",
  POST: "POST",
  PUT: "PUT",
  DELETE: "DELETE",
  CONNECT: "CONNECT",
  OPTIONS: "OPTIONS",
  TRACE: "TRACE",
  PATCH: "PATCH",
} as const);

/** Whether `method` is a valid method token (RFC 9110 §9.1: `method = token`). */
export function isValidMethod(method: string): boolean {
  return isToken(method);
}

/** Returns `method` if it is a valid token, else throws an {@link HttpError} `ZP_INVALID_METHOD`. */
export function checkMethod(method: string): Method {
  if (!isToken(method)) throw new HttpError(HttpErrorType.InvalidMethod, `invalid method ${preview(method)}`);
  return method;
}

/**
 * Whether the method is safe (RFC 9110 §9.2.1): GET, HEAD, OPTIONS, TRACE. Safe requests
 * do not change state on the origin; a cache may serve them.
 */
export function isSafe(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS" || method === "TRACE";
}

/**
 * Whether the method is idempotent (RFC 9110 §9.2.2): the safe methods plus PUT and DELETE.
 * A request with an idempotent method may be retried after a connection failure.
 */
export function isIdempotent(method: string): boolean {
  return isSafe(method) || method === "PUT" || method === "DELETE";
}

/**
 * Whether a request with this method carries no body in practice: GET, HEAD, DELETE,
 * OPTIONS, TRACE and CONNECT. RFC 9110 gives these no defined body semantics, so a client
 * sends none unless framing headers say otherwise; `Content-Length: 0` need not be added.
 */
export function hasNoRequestBody(method: string): boolean {
  return (
    method === "GET" ||
    method === "HEAD" ||
    method === "DELETE" ||
    method === "OPTIONS" ||
    method === "TRACE" ||
    method === "CONNECT"
  );
}

/**
 * Whether a request with this method is expected to carry a body (POST, PUT, PATCH), so a
 * client should send `Content-Length: 0` when it has none (RFC 9110 §8.6).
 */
export function expectsRequestBody(method: string): boolean {
  return method === "POST" || method === "PUT" || method === "PATCH";
}
