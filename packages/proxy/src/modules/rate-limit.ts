import { Buffer } from "node:buffer";
import { HeaderMap, type RequestHeader, type ResponseHeader, isValidHeaderName, isValidHeaderValue } from "@zp/http";
import { type Clock, KeyedTokenBucket, monotonicClock } from "@zp/limits";
import { ModuleError, ModuleErrorType, requireInteger, requirePositive } from "./module-error.js";
import { RateDecision } from "./rate-decision.js";
import { type RateLimitHeaderStyle, RateLimitHeaderWriter, isValidPolicyName } from "./rate-limit-headers.js";

/**
 * What a request is counted against:
 *
 * - `"ip"`: the client's address.
 * - `{ header: name }`: the value of a request header (an API key, a tenant id). Requests
 *   without it (or with an empty value) are counted per client address instead, in a key
 *   space of their own, so a header value can never spend an address's budget.
 * - a function of the request head and the client address returning the key.
 */
export type RateLimitKeyBy = "ip" | { readonly header: string } | ((request: RequestHeader, clientIp: string) => string);

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained rate each key may send, in requests per second (> 0). */
  requestsPerSecond: number;
  /** Largest burst a key may send at once (>= 1). Default: one second's worth, at least 1. */
  burst?: number;
  /** What requests are counted against (default `"ip"`). */
  keyBy?: RateLimitKeyBy;
  /** Rate-limit fields on responses (default `"ietf"`); see {@link RateLimitHeaderStyle}. */
  headerStyle?: RateLimitHeaderStyle;
  /** Whether {@link RateLimiter.addHeaders} adds fields to allowed responses (default true). */
  headersOnAllowed?: boolean;
  /** Policy name in the `"ietf"` fields (default `"proxy"`; letters, digits, `_ . : -`). */
  policyName?: string;
  /** Body of 429 responses (default `"Too Many Requests\n"`). */
  body?: string | Uint8Array;
  /** `Content-Type` of 429 responses (default `text/plain; charset=utf-8`). */
  contentType?: string;
  /** Cells per row of the fixed table (default 16384; memory is `hashes * slots * 8` bytes). */
  slots?: number;
  /** Rows of the fixed table (default 4). */
  hashes?: number;
  /** Hash seed (default random per limiter). */
  seed?: number;
  /** Time source in ms (default `performance.now()`); tests inject a fake clock. */
  now?: Clock;
}

/** A ready-made 429 answer: status, header fields and body. */
export interface RateLimitRejection {
  /** Always 429 (Too Many Requests, RFC 6585 §4). */
  readonly status: 429;
  /** `Content-Type`, `Content-Length`, `Retry-After` and the rate-limit fields. A new map per call. */
  readonly headers: HeaderMap;
  /** The body; shared between rejections, do not modify it. */
  readonly body: Buffer;
}

const KEY_IP = 0;
const KEY_HEADER = 1;
const KEY_FUNCTION = 2;
/** Prefix of fallback keys in header mode; a validated header value never holds NUL. */
const ADDRESS_KEY_PREFIX = "\u0000";
/** Absorbs float noise in token counts (3.9999999 tokens are 4). */
const TOKEN_EPSILON = 1e-6;

/**
 * Per-key request rate limiting with a token bucket per key (GCRA), in fixed memory
 * whatever the number of keys (see `@zp/limits`' `KeyedTokenBucket`).
 *
 * Typical use from a request filter:
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ requestsPerSecond: 10, burst: 20 });
 * const decision = limiter.check(limiter.keyFor(request, clientIp));
 * if (!decision.allowed) {
 *   const { status, headers, body } = limiter.rejection(decision);
 *   // answer status/headers/body and stop
 * }
 * // later, in the response filter: limiter.addHeaders(response, decision);
 * ```
 */
export class RateLimiter {
  /** Sustained requests per second per key. */
  readonly requestsPerSecond: number;
  /** Largest burst per key. */
  readonly burst: number;
  /** Seconds to refill a whole burst (at least 1): the `w` of the policy. */
  readonly windowSeconds: number;
  private readonly bucket: KeyedTokenBucket;
  private readonly clock: Clock;
  /** The time of the current `check`: the bucket reads it instead of the clock (one clock read per check). */
  private time = 0;
  private readonly keyMode: number;
  private readonly keyHeader: string;
  private readonly keyFunction: ((request: RequestHeader, clientIp: string) => string) | undefined;
  private readonly writer: RateLimitHeaderWriter;
  private readonly headersOnAllowed: boolean;
  private readonly body: Buffer;
  private readonly bodyLength: string;
  private readonly contentType: string;

  constructor(options: RateLimiterOptions) {
    const rps = requirePositive("requestsPerSecond", options.requestsPerSecond);
    const burst = options.burst ?? Math.max(1, Math.floor(rps));
    if (!(burst >= 1) || !Number.isFinite(burst)) {
      throw new ModuleError(ModuleErrorType.InvalidOption, `burst must be a finite number >= 1, got ${burst}`);
    }
    this.requestsPerSecond = rps;
    this.burst = burst;
    this.windowSeconds = Math.max(1, Math.round(burst / rps));
    this.clock = options.now ?? monotonicClock;
    this.bucket = new KeyedTokenBucket({
      capacity: burst,
      refillPerSecond: rps,
      hashes: requireInteger("hashes", options.hashes ?? 4, 1, 64),
      slots: requireInteger("slots", options.slots ?? 16384, 1, 1 << 26),
      now: () => this.time,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });

    const keyBy = options.keyBy ?? "ip";
    this.keyHeader = "";
    this.keyFunction = undefined;
    if (keyBy === "ip") this.keyMode = KEY_IP;
    else if (typeof keyBy === "function") {
      this.keyMode = KEY_FUNCTION;
      this.keyFunction = keyBy;
    } else if (typeof keyBy === "object" && keyBy !== null && typeof keyBy.header === "string" && isValidHeaderName(keyBy.header)) {
      this.keyMode = KEY_HEADER;
      this.keyHeader = keyBy.header;
    } else {
      throw new ModuleError(ModuleErrorType.InvalidOption, `keyBy must be "ip", { header: name } or a function`);
    }

    const policyName = options.policyName ?? "proxy";
    if (!isValidPolicyName(policyName)) {
      throw new ModuleError(ModuleErrorType.InvalidOption, `policyName must be 1-64 of [A-Za-z0-9_.:-], got ${JSON.stringify(policyName)}`);
    }
    const style = options.headerStyle ?? "ietf";
    if (style !== "ietf" && style !== "legacy" && style !== "none") {
      throw new ModuleError(ModuleErrorType.InvalidOption, `headerStyle must be "ietf", "legacy" or "none", got ${String(style)}`);
    }
    this.writer = new RateLimitHeaderWriter(style, policyName, burst, this.windowSeconds);
    this.headersOnAllowed = options.headersOnAllowed ?? true;

    const body = options.body ?? "Too Many Requests\n";
    this.body = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
    this.bodyLength = String(this.body.length);
    this.contentType = options.contentType ?? "text/plain; charset=utf-8";
    // Validated once, so rejections can use the unchecked setters.
    if (!isValidHeaderValue(this.contentType)) {
      throw new ModuleError(ModuleErrorType.InvalidOption, `contentType is not a valid field value: ${JSON.stringify(this.contentType)}`);
    }
  }

  /** The key `request` from `clientIp` is counted against (see {@link RateLimitKeyBy}). */
  keyFor(request: RequestHeader, clientIp: string): string {
    if (this.keyMode === KEY_IP) return clientIp;
    if (this.keyMode === KEY_HEADER) {
      const value = request.headers.get(this.keyHeader);
      return value === undefined || value === "" ? ADDRESS_KEY_PREFIX + clientIp : value;
    }
    return this.keyFunction!(request, clientIp);
  }

  /**
   * Takes one token from `key`'s bucket if it has one and says what happened. Fills `into`
   * (a fresh {@link RateDecision} if omitted) and returns it.
   */
  check(key: string, into: RateDecision = new RateDecision()): RateDecision {
    const bucket = this.bucket;
    this.time = this.clock();
    into.limit = this.burst;
    if (bucket.tryTake(key)) {
      const tokens = bucket.tokens(key);
      into.allowed = true;
      into.remaining = tokens > 0 ? Math.floor(tokens + TOKEN_EPSILON) : 0;
      into.retryAfterSeconds = 0;
      const toFull = (this.burst - tokens) / this.requestsPerSecond - TOKEN_EPSILON;
      into.resetSeconds = toFull > 0 ? Math.ceil(toFull) : 0;
      return into;
    }
    const waitMs = bucket.retryAfterMs(key);
    const seconds = waitMs > 1000 ? Math.ceil(waitMs / 1000) : 1;
    into.allowed = false;
    into.remaining = 0;
    into.retryAfterSeconds = seconds;
    into.resetSeconds = seconds;
    return into;
  }

  /**
   * The 429 answer for a refused `decision`: `Retry-After` in whole seconds (at least 1,
   * RFC 9110 §10.2.3), the rate-limit fields of the configured style, and the body.
   */
  rejection(decision: RateDecision): RateLimitRejection {
    const headers = new HeaderMap();
    headers.appendUnchecked("Content-Type", this.contentType);
    headers.appendUnchecked("Content-Length", this.bodyLength);
    headers.appendUnchecked("Retry-After", String(decision.retryAfterSeconds > 1 ? decision.retryAfterSeconds : 1));
    this.writer.write(headers, decision);
    return { status: 429, headers, body: this.body };
  }

  /**
   * Adds the rate-limit fields for an allowed `decision` to `response` (nothing when
   * `headersOnAllowed` is false or the style is `"none"`).
   */
  addHeaders(response: ResponseHeader, decision: RateDecision): void {
    if (this.headersOnAllowed) this.writer.write(response.headers, decision);
  }

  /** Refills every key's bucket. */
  reset(): void {
    this.bucket.reset();
  }

  /** Bytes held by the limiter's table (fixed at construction). */
  get byteLength(): number {
    return this.bucket.byteLength;
  }
}
