import { ErrorSource } from "./error-source.js";
import { ErrorType, sameErrorType } from "./error-type.js";
import { RetryType } from "./retry-type.js";

/** Marks ZpError instances so `instanceof` holds across two copies of this package. */
const brand = Symbol.for("@zp/error.ZpError");

/** Options for {@link ZpError}'s constructor. */
export interface ZpErrorOptions {
  /** Which side caused it (default `Unset`). */
  source?: ErrorSource;
  /** Whether it may be retried (default `Decided(false)`). */
  retry?: RetryType;
  /** The error underneath, if any. */
  cause?: unknown;
  /** What was being done, e.g. `connecting to 127.0.0.1:3000`. */
  context?: string;
}

/**
 * The error every zingora package raises: a {@link ErrorType}, the {@link ErrorSource}
 * that caused it, a {@link RetryType}, an optional cause (any thrown value, often
 * another ZpError) and context strings.
 *
 * @example
 * ```ts
 * const err = ZpError.because(ErrorType.ConnectRefused, "connecting to 127.0.0.1:3000", sysErr)
 *   .asUpstream()
 *   .withRetry(RetryType.Decided(true));
 * err.code; // "ZP_CONNECT_REFUSED"
 * ```
 */
export class ZpError extends Error {
  /** What went wrong. */
  readonly type: ErrorType;
  /** Which side caused it. */
  source: ErrorSource;
  /** Whether it may be retried. */
  retry: RetryType;
  /** Context strings, innermost first. */
  readonly contexts: string[];
  declare readonly cause: unknown;

  constructor(type: ErrorType, options: ZpErrorOptions = {}) {
    // No message argument: `message` is a getter computed on first read, so creating an
    // error on the data path costs no string building.
    super(undefined, options.cause === undefined ? undefined : { cause: options.cause });
    this.type = type;
    this.source = options.source ?? ErrorSource.Unset;
    this.retry = options.retry ?? RetryType.Decided(false);
    this.contexts = options.context === undefined ? [] : [options.context];
  }

  /** The same text as {@link ZpError.describe}, kept current as context is added. */
  override get message(): string {
    return this.describe();
  }

  /** The stable code of this error's type, e.g. `ZP_READ_TIMEOUT`. */
  get code(): string {
    return this.type.code;
  }

  override get name(): string {
    return "ZpError";
  }

  /** `instanceof ZpError` is true for ZpErrors made by any copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== ZpError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** A new error of this type. */
  static create(type: ErrorType, source: ErrorSource = ErrorSource.Unset, context?: string): ZpError {
    return new ZpError(type, context === undefined ? { source } : { source, context });
  }

  /** A new error of this type with a cause and context: `because(ReadTimeout, "reading body", e)`. */
  static because(type: ErrorType, context: string, cause: unknown): ZpError {
    return new ZpError(type, { context, cause });
  }

  /** A new error with an explanation and no cause. */
  static explain(type: ErrorType, context: string): ZpError {
    return new ZpError(type, { context });
  }

  /**
   * Wraps any thrown value: a ZpError is returned as it is (with `context` added),
   * anything else becomes the cause of a new error of `type`.
   */
  static wrap(value: unknown, type: ErrorType = ErrorType.InternalError, context?: string): ZpError {
    if (value instanceof ZpError) return context === undefined ? value : value.moreContext(context);
    return new ZpError(type, context === undefined ? { cause: value } : { cause: value, context });
  }

  /** Sets the source to Upstream and returns this. */
  asUpstream(): this {
    this.source = ErrorSource.Upstream;
    return this;
  }

  /** Sets the source to Downstream and returns this. */
  asDownstream(): this {
    this.source = ErrorSource.Downstream;
    return this;
  }

  /** Sets the source to Internal and returns this. */
  asInternal(): this {
    this.source = ErrorSource.Internal;
    return this;
  }

  /** Sets the retry decision and returns this. */
  withRetry(retry: RetryType | boolean): this {
    this.retry = typeof retry === "boolean" ? RetryType.Decided(retry) : retry;
    return this;
  }

  /** Adds an outer context string and returns this. */
  moreContext(context: string): this {
    this.contexts.push(context);
    return this;
  }

  /** Whether the failed operation may be retried, given whether its connection was reused. */
  retryable(reused = false): boolean {
    return RetryType.decide(this.retry, reused);
  }

  /** Whether this error is of the given type. */
  is(type: ErrorType): boolean {
    return sameErrorType(this.type, type);
  }

  /** The innermost error of the cause chain (this one if it has no cause). */
  rootCause(): unknown {
    let current: unknown = this;
    const seen = new Set<unknown>();
    while (current instanceof Error && current.cause !== undefined && !seen.has(current)) {
      seen.add(current);
      current = current.cause;
    }
    return current;
  }

  /** The first ZpError down the cause chain (including this) matching `type`, if any. */
  find(type: ErrorType): ZpError | undefined {
    let current: unknown = this;
    for (let depth = 0; current !== undefined && depth < 64; depth++) {
      if (current instanceof ZpError && current.is(type)) return current;
      current = current instanceof Error ? current.cause : undefined;
    }
    return undefined;
  }

  /** A one-line description: ` Upstream ConnectRefused context: a, b cause: ...`. */
  describe(): string {
    let text = this.source === ErrorSource.Unset ? this.type.name : `${this.source} ${this.type.name}`;
    if (this.contexts.length > 0) text += ` context: ${this.contexts.slice().reverse().join(": ")}`;
    if (this.cause !== undefined) text += ` cause: ${describeCause(this.cause)}`;
    return text;
  }

  /** A plain object for structured logs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      type: this.type.name,
      status: this.type.status,
      source: this.source,
      retry: this.retry,
      contexts: this.contexts,
      message: this.message,
      cause: this.cause instanceof ZpError ? this.cause.toJSON() : this.cause === undefined ? undefined : describeCause(this.cause),
    };
  }
}

Object.defineProperty(ZpError.prototype, brand, { value: true });

function describeCause(cause: unknown): string {
  if (cause instanceof ZpError) return cause.describe();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code} ${cause.message}` : cause.message;
  }
  return String(cause);
}
