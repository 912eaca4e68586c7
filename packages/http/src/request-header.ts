import { HeaderMap } from "./header-map.js";
import { copyBytes, writeLatin1 } from "./latin1.js";
import { MessageHead } from "./message-head.js";
import { checkMethod, type Method } from "./method.js";
import { parseUri, type Uri } from "./uri.js";
import { wireVersionBytes, type Version } from "./version.js";

/**
 * The head of an HTTP request: method, target, version and header fields. Builders
 * validate what they are given; {@link RequestHeader.unchecked} trusts a parser's output.
 *
 * @example
 * ```ts
 * const req = RequestHeader.build("GET", "/index.html").insertHeader("Host", "example.com");
 * req.toBuffer().toString("latin1"); // "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n"
 * ```
 */
export class RequestHeader extends MessageHead {
  /** The method, e.g. `GET`. */
  method: Method;
  /** The request target as written on the request line. */
  uri: string;
  private parsed: Uri | undefined;
  protected readonly kind = "request";

  private constructor(method: Method, uri: string, version: Version, headers: HeaderMap, parsed: Uri | undefined) {
    super(version, headers);
    this.method = method;
    this.uri = uri;
    this.parsed = parsed;
  }

  /**
   * A request head with no fields. Throws an {@link HttpError} when the method is not a
   * token or the target is not valid for it.
   */
  static build(method: Method, uri: string, version: Version = "HTTP/1.1"): RequestHeader {
    checkMethod(method);
    return new RequestHeader(method, uri, version, new HeaderMap(), parseUri(uri, method));
  }

  /** A head from parts already validated (by a parser); the target is parsed when first read. */
  static unchecked(method: Method, uri: string, version: Version, headers: HeaderMap = new HeaderMap()): RequestHeader {
    return new RequestHeader(method, uri, version, headers, undefined);
  }

  /** The parsed target (parsed on first read for unchecked heads, then cached). */
  get target(): Uri {
    if (this.parsed === undefined || this.parsed.raw !== this.uri) this.parsed = parseUri(this.uri, this.method);
    return this.parsed;
  }

  /** Sets the method (validated) and returns this. */
  setMethod(method: Method): this {
    this.method = checkMethod(method);
    return this;
  }

  /** Sets the target (validated against the method) and returns this. */
  setUri(uri: string): this {
    this.parsed = parseUri(uri, this.method);
    this.uri = uri;
    return this;
  }

  /**
   * Turns an absolute-form target into origin-form and sets `Host` to its authority, as a
   * proxy must before forwarding to an origin server (RFC 9112 §3.2.2: the target's
   * authority replaces any `Host` received). Other forms are left as they are.
   */
  toOriginForm(): this {
    const target = this.target;
    if (target.form !== "absolute") return this;
    const authority = target.authority!;
    const pathAndQuery = target.pathAndQuery;
    this.parsed = parseUri(pathAndQuery, this.method);
    this.uri = pathAndQuery;
    // An existing Host keeps its place; a missing one is added at the end.
    if (this.headers.has("host")) this.headers.setUnchecked("Host", authority);
    else this.headers.appendUnchecked("Host", authority);
    return this;
  }

  /** An independent copy (fields copied, strings shared). */
  clone(): RequestHeader {
    return new RequestHeader(this.method, this.uri, this.version, this.headers.clone(), this.parsed);
  }

  protected startLineLength(): number {
    // "METHOD SP target SP HTTP/1.x CRLF"
    return this.method.length + this.uri.length + 12;
  }

  protected writeStartLine(buf: Buffer, offset: number): number {
    let at = writeLatin1(buf, this.method, offset);
    buf[at++] = 0x20;
    at = writeLatin1(buf, this.uri, at);
    buf[at++] = 0x20;
    at = copyBytes(buf, wireVersionBytes(this.version), at);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    return at;
  }
}
