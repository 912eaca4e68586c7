import { HeaderMap } from "./header-map.js";
import { HttpError, HttpErrorType, preview } from "./http-error.js";
import { copyBytes, writeLatin1 } from "./latin1.js";
import { MessageHead } from "./message-head.js";
import { checkStatus, reasonPhrase } from "./status.js";
import { FIELD_VALUE_CHARS } from "./token.js";
import { wireVersionBytes, type Version } from "./version.js";

/** Whether `reason` fits RFC 9112 §4's `reason-phrase`: HTAB, SP, VCHAR, obs-text. */
export function isValidReasonPhrase(reason: string): boolean {
  for (let i = 0; i < reason.length; i++) {
    const c = reason.charCodeAt(i);
    if (c > 0xff || FIELD_VALUE_CHARS[c] === 0) return false;
  }
  return true;
}

/**
 * The head of an HTTP response: status, reason phrase, version and header fields.
 *
 * @example
 * ```ts
 * const res = ResponseHeader.build(404).insertHeader("Content-Length", "0");
 * res.toBuffer().toString("latin1"); // "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
 * ```
 */
export class ResponseHeader extends MessageHead {
  /** The status code, 100..999. */
  status: number;
  private customReason: string | undefined;
  protected readonly kind = "response";

  private constructor(status: number, version: Version, headers: HeaderMap, reason: string | undefined) {
    super(version, headers);
    this.status = status;
    this.customReason = reason;
  }

  /** A response head with no fields; throws an {@link HttpError} for a status outside 100..999. */
  static build(status: number, version: Version = "HTTP/1.1"): ResponseHeader {
    return new ResponseHeader(checkStatus(status), version, new HeaderMap(), undefined);
  }

  /** A head from parts already validated (by a parser). `reason` as received, if kept. */
  static unchecked(status: number, version: Version, headers: HeaderMap = new HeaderMap(), reason?: string): ResponseHeader {
    return new ResponseHeader(status, version, headers, reason);
  }

  /** The reason phrase: the one set, else the registered one for the status, else `""`. */
  get reason(): string {
    return this.customReason ?? reasonPhrase(this.status);
  }

  /** Sets the status (validated); a custom reason phrase set earlier is dropped. Returns this. */
  setStatus(status: number): this {
    this.status = checkStatus(status);
    this.customReason = undefined;
    return this;
  }

  /**
   * Sets the reason phrase written on the status line (undefined: the registered one).
   * Throws an {@link HttpError} `ZP_INVALID_STATUS` for CR, LF or other control characters.
   */
  setReasonPhrase(reason: string | undefined): this {
    if (reason !== undefined && !isValidReasonPhrase(reason)) {
      throw new HttpError(HttpErrorType.InvalidStatus, `invalid reason phrase ${preview(reason)}`);
    }
    this.customReason = reason;
    return this;
  }

  /** An independent copy (fields copied, strings shared). */
  clone(): ResponseHeader {
    return new ResponseHeader(this.status, this.version, this.headers.clone(), this.customReason);
  }

  protected startLineLength(): number {
    // "HTTP/1.x SP ddd SP reason CRLF"
    return 15 + this.reason.length;
  }

  protected writeStartLine(buf: Buffer, offset: number): number {
    let at = copyBytes(buf, wireVersionBytes(this.version), offset);
    const status = this.status;
    buf[at++] = 0x20;
    buf[at++] = 0x30 + Math.floor(status / 100);
    buf[at++] = 0x30 + (Math.floor(status / 10) % 10);
    buf[at++] = 0x30 + (status % 10);
    buf[at++] = 0x20;
    at = writeLatin1(buf, this.reason, at);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    return at;
  }
}
