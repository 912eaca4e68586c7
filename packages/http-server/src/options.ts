import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { ZpError } from "@zp/error";
import { defaultWheel, type TimerWheel } from "@zp/timeout";
import type { HttpRequest } from "./request.js";
import type { HttpResponse } from "./response.js";

/** Handles one request. Return nothing, or a promise (an async handler). */
export type RequestHandler = (req: HttpRequest, res: HttpResponse) => void | Promise<void>;

/**
 * Takes over the socket of a CONNECT or Upgrade request. The socket is detached from the
 * server (no listeners of ours, no timeouts) and paused until you attach a `data`
 * listener or call `resume()`; `head` holds every byte read after the request head.
 * Attach an `error` listener: the server no longer contains errors of this socket.
 */
export type UpgradeHandler = (req: HttpRequest, socket: Socket | TLSSocket, head: Buffer) => void | Promise<void>;

/** Observes errors the server handled itself (a hook for logs and metrics; must not throw). */
export type ErrorHook = (err: ZpError, req: HttpRequest | undefined) => void;

/** Options of {@link HttpServer}. Sizes in bytes, times in milliseconds (0 disables a timeout). */
export interface HttpServerOptions {
  /** Largest request head (request line and fields). Default 32 KiB; beyond: 431. */
  maxHeaderBytes?: number;
  /** Most header fields per request. Default 128; beyond: 431. */
  maxHeaders?: number;
  /** Longest request-target. Default 8 KiB; beyond: 414. */
  maxUrlLength?: number;
  /** Largest request body. Default 100 MiB; beyond: 413 (before the handler when declared). */
  maxBodySize?: number;
  /** Requests parsed ahead of the one being answered (pipelining). Default 16; then reading pauses. */
  maxPipelinedRequests?: number;
  /** Body bytes held for requests not reading yet (pipelined, paused). Default 64 KiB; then reading pauses. */
  maxBufferedBytes?: number;
  /** Requests per connection; the last is answered with `Connection: close`. Default 0: no limit. */
  maxRequestsPerConnection?: number;
  /** From the first byte of a request head (or the connection's start) to its end. Default 20 s; then 408. */
  headerTimeout?: number;
  /** Idle time between requests on a keep-alive connection. Default 60 s; then closed silently. */
  keepAliveTimeout?: number;
  /** Longest time without body bytes while the server is reading a body. Default 60 s; then 408. */
  bodyTimeout?: number;
  /** Longest time a full socket write buffer may take to drain. Default 60 s; then destroyed. */
  writeTimeout?: number;
  /** How long `close()` lets in-flight requests finish before destroying them. Default 30 s. */
  closeTimeout?: number;
  /** Send `100 Continue` on the first body read when the client expects it. Default true. */
  autoContinue?: boolean;
  /** Value of a `Server` header added to every response (unless the response has one). Default none. */
  serverName?: string;
  /** Takes over CONNECT and Upgrade requests; without it they reach the handler and the connection closes after. */
  onUpgrade?: UpgradeHandler;
  /** Called with errors the server handled: handler failures, bad requests, timeouts, socket errors. */
  onError?: ErrorHook;
  /** The timer wheel for all timeouts (default: `@zp/timeout`'s shared wheel). */
  wheel?: TimerWheel;
}

/** The options with defaults filled in. */
export interface ResolvedOptions {
  maxHeaderBytes: number;
  maxHeaders: number;
  maxUrlLength: number;
  maxBodySize: number;
  maxPipelinedRequests: number;
  maxBufferedBytes: number;
  maxRequestsPerConnection: number;
  headerTimeout: number;
  keepAliveTimeout: number;
  bodyTimeout: number;
  writeTimeout: number;
  closeTimeout: number;
  autoContinue: boolean;
  serverLine: Buffer;
  onUpgrade: UpgradeHandler | undefined;
  onError: ErrorHook | undefined;
  wheel: TimerWheel;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value >= 1) || !(Number.isInteger(value) || value === Number.POSITIVE_INFINITY)) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** A time option: 0 or Infinity disable the timeout. */
function duration(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value >= 0)) throw new RangeError(`${name} must be >= 0 ms, got ${value}`);
  return value === 0 ? Number.POSITIVE_INFINITY : value;
}

const TOKEN_OR_SPACE = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

/** Fills in defaults and checks the values. */
export function resolveOptions(o: HttpServerOptions): ResolvedOptions {
  if (o.serverName !== undefined && !TOKEN_OR_SPACE.test(o.serverName)) {
    throw new RangeError(`serverName must be visible ASCII, got ${JSON.stringify(o.serverName)}`);
  }
  const maxRequests = o.maxRequestsPerConnection ?? 0;
  if (!(maxRequests >= 0)) throw new RangeError(`maxRequestsPerConnection must be >= 0, got ${maxRequests}`);
  return {
    maxHeaderBytes: positive(o.maxHeaderBytes, 32 * 1024, "maxHeaderBytes"),
    maxHeaders: positive(o.maxHeaders, 128, "maxHeaders"),
    maxUrlLength: positive(o.maxUrlLength, 8 * 1024, "maxUrlLength"),
    maxBodySize: positive(o.maxBodySize, 100 * 1024 * 1024, "maxBodySize"),
    maxPipelinedRequests: positive(o.maxPipelinedRequests, 16, "maxPipelinedRequests"),
    maxBufferedBytes: positive(o.maxBufferedBytes, 64 * 1024, "maxBufferedBytes"),
    maxRequestsPerConnection: maxRequests === 0 ? Number.POSITIVE_INFINITY : maxRequests,
    headerTimeout: duration(o.headerTimeout, 20_000, "headerTimeout"),
    keepAliveTimeout: duration(o.keepAliveTimeout, 60_000, "keepAliveTimeout"),
    bodyTimeout: duration(o.bodyTimeout, 60_000, "bodyTimeout"),
    writeTimeout: duration(o.writeTimeout, 60_000, "writeTimeout"),
    closeTimeout: duration(o.closeTimeout, 30_000, "closeTimeout"),
    autoContinue: o.autoContinue !== false,
    serverLine: o.serverName === undefined ? Buffer.alloc(0) : Buffer.from(`Server: ${o.serverName}\r\n`, "latin1"),
    onUpgrade: o.onUpgrade,
    onError: o.onError,
    wheel: o.wheel ?? defaultWheel,
  };
}
