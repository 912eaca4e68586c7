import type { ZpError } from "@zp/error";
import type { HeaderMap, RequestHeader, ResponseHeader } from "@zp/http";
import type { HttpPeer } from "./http-peer.js";
import type { MaybePromise } from "./maybe-promise.js";
import type { Session } from "./session.js";

/**
 * What a body filter returns: `undefined` keeps the chunk, a Buffer replaces it, `null`
 * drops it.
 */
export type BodyFilterResult = Buffer | null | undefined | void;

/**
 * The phases of a proxied request, after Pingora's `ProxyHttp`. Only
 * {@link ProxyHttp.upstreamPeer} is required. Every hook may return its value or a
 * promise of it; the proxy awaits only a promise, so synchronous hooks cost no
 * microtask. A hook that throws (or rejects) ends the request through
 * {@link ProxyHttp.failToProxy} (500 by default; a `ZpError` of type `HTTPStatus(n)`
 * answers `n`).
 *
 * Order for one request:
 *
 * 1. `newCtx` → `earlyRequestFilter` → `requestFilter` (true: it answered; go to `logging`)
 * 2. (cache phases would run here)
 * 3. `proxyUpstreamFilter` (false: it answered, else 502; go to `logging`)
 * 4. per attempt: `upstreamPeer` → connect (`failToConnect` on failure) →
 *    `connectedToUpstream` → `upstreamRequestFilter` → `requestBodyFilter` (per chunk) →
 *    `upstreamResponseFilter` → `responseFilter` → `upstreamResponseBodyFilter` and
 *    `responseBodyFilter` (per chunk) → `upstreamResponseTrailerFilter` and
 *    `responseTrailerFilter`; a failure after connecting goes to `errorWhileProxy`. A
 *    retryable failure starts another attempt (up to `maxRetries`).
 * 5. on a final error: `failToProxy` → `suppressErrorLog` / `requestSummary` (the log line)
 * 6. `logging` (always last, with the error if any).
 */
export interface ProxyHttp<CTX = unknown> {
  /** Makes the per-request state passed to every hook (default: `undefined`). */
  newCtx?(): CTX;

  /** First look at a request, before any other logic. */
  earlyRequestFilter?(session: Session, ctx: CTX): MaybePromise<void>;

  /**
   * Validate, rate limit, authenticate, or answer the request. Return `true` when it
   * already sent a response (the proxy then finishes it and logs); `false` to go on.
   */
  requestFilter?(session: Session, ctx: CTX): MaybePromise<boolean>;

  /**
   * Whether the request may go upstream (after the cache phases). `false`: the hook
   * answered, or, if it wrote nothing, the proxy answers `502`.
   */
  proxyUpstreamFilter?(session: Session, ctx: CTX): MaybePromise<boolean>;

  /** Where to send the request: called for every attempt, so a retry may go elsewhere. */
  upstreamPeer(session: Session, ctx: CTX): MaybePromise<HttpPeer>;

  /** A connection to the upstream was made (`reused`: it came from the pool). */
  connectedToUpstream?(session: Session, reused: boolean, peer: HttpPeer, ctx: CTX): MaybePromise<void>;

  /**
   * Connecting failed. Return the error to report, possibly marked retryable
   * (`err.withRetry(true)`): a retryable one starts another attempt.
   */
  failToConnect?(session: Session, peer: HttpPeer, ctx: CTX, error: ZpError): MaybePromise<ZpError>;

  /** Edit the request head sent upstream (a copy of the session's, hop-by-hop fields removed). */
  upstreamRequestFilter?(session: Session, upstreamRequest: RequestHeader, ctx: CTX): MaybePromise<void>;

  /**
   * Each piece of request body before it goes upstream; called once with
   * `endOfStream = true` at the end (`chunk` then `null`; a bodiless request gets only
   * that call). A filter that changes the body's length must remove `Content-Length` in
   * `upstreamRequestFilter` (the body is then sent chunked).
   */
  requestBodyFilter?(session: Session, chunk: Buffer | null, endOfStream: boolean, ctx: CTX): MaybePromise<BodyFilterResult>;

  /** Edit the upstream's response head (hop-by-hop fields already removed). */
  upstreamResponseFilter?(session: Session, upstreamResponse: ResponseHeader, ctx: CTX): MaybePromise<void>;

  /** Edit the response head before it goes to the client (after `upstreamResponseFilter`). */
  responseFilter?(session: Session, upstreamResponse: ResponseHeader, ctx: CTX): MaybePromise<void>;

  /** Each piece of the upstream's response body; `endOfStream` is true exactly once, last (chunk possibly `null`). */
  upstreamResponseBodyFilter?(session: Session, chunk: Buffer | null, endOfStream: boolean, ctx: CTX): MaybePromise<BodyFilterResult>;

  /**
   * Each piece of response body before it goes to the client (after
   * `upstreamResponseBodyFilter`). A filter that changes the body's length must remove
   * `Content-Length` in `responseFilter`.
   */
  responseBodyFilter?(session: Session, chunk: Buffer | null, endOfStream: boolean, ctx: CTX): MaybePromise<BodyFilterResult>;

  /** The upstream's response trailers (chunked responses that have them). */
  upstreamResponseTrailerFilter?(session: Session, trailers: HeaderMap, ctx: CTX): MaybePromise<void>;

  /** The trailers before they go to the client (only clients that sent `TE: trailers` get them). */
  responseTrailerFilter?(session: Session, trailers: HeaderMap, ctx: CTX): MaybePromise<void>;

  /**
   * A failure after the connection was made. Return the error to report; the default adds
   * the peer to its context and decides a `ReusedOnly` retry by `clientReused` (and whether
   * the body can be sent again).
   */
  errorWhileProxy?(peer: HttpPeer, session: Session, error: ZpError, ctx: CTX, clientReused: boolean): MaybePromise<ZpError>;

  /**
   * The request failed for good: answer the client if still possible and return the status
   * sent (0: none). The default maps the error to a status (see `errorStatus`) and sends an
   * error page.
   */
  failToProxy?(session: Session, error: ZpError, ctx: CTX): MaybePromise<number>;

  /** Always called last, with the error that ended the request, if any: access logs and metrics. */
  logging?(session: Session, error: ZpError | undefined, ctx: CTX): MaybePromise<void>;

  /** What error log lines say about the request (default `GET /path, Host: example.com`). */
  requestSummary?(session: Session, ctx: CTX): string;

  /** Return true to keep a failed request out of the error log. */
  suppressErrorLog?(session: Session, ctx: CTX, error: ZpError): boolean;
}
