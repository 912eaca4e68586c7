import { isIPv6 } from "node:net";
import { HttpError, HttpErrorType, preview } from "./http-error.js";

/** The four forms of a request target (RFC 9112 §3.2). */
export type UriForm = "origin" | "absolute" | "authority" | "asterisk";

/**
 * Characters allowed in a path or query: visible ASCII except `#` (a fragment is never
 * sent) and `%` (checked separately as `%HH`). Like nginx and llhttp this is wider than
 * RFC 3986's `pchar`: `"`, `<`, `>`, `[`, `]`, `{`, `|`, `}`, `\`, `^` and backtick are
 * common in real query strings.
 */
const TARGET_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let c = 0x21; c <= 0x7e; c++) table[c] = 1;
  table[0x23] = 0; // '#'
  table[0x25] = 0; // '%'
  return table;
})();

/** RFC 3986 reg-name characters: unreserved and sub-delims (`%` checked separately). */
const REG_NAME_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) table[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) table[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = 1;
  for (const ch of "-._~!$&'()*+,;=") table[ch.charCodeAt(0)] = 1;
  return table;
})();

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function invalid(target: string, why: string): HttpError {
  return new HttpError(HttpErrorType.InvalidUri, `invalid request target ${preview(target)}: ${why}`);
}

/**
 * Checks `target[start..end)` against `table`, allowing `%HH`. Returns the index of the
 * first `?` when `stopAtQuery` (or `end` if none), so the path/query split costs no
 * second scan.
 */
function scan(target: string, start: number, end: number, table: Uint8Array, stopAtQuery: boolean): number {
  for (let i = start; i < end; i++) {
    const c = target.charCodeAt(i);
    if (c === 0x3f && stopAtQuery) return i;
    if (c === 0x25) {
      if (i + 2 >= end || !isHex(target.charCodeAt(i + 1)) || !isHex(target.charCodeAt(i + 2))) {
        throw invalid(target, `bad percent-encoding at ${i}`);
      }
      i += 2;
    } else if (c >= 0x80 || table[c] === 0) {
      throw invalid(target, `forbidden character at ${i}`);
    }
  }
  return end;
}

/** Where the host and port of an authority lie. */
interface AuthorityParts {
  hostStart: number;
  hostEnd: number;
  ipv6: boolean;
  port: number | undefined;
}

/** Parses `host [":" port]` in `target[start..end)`; `needPort` for authority-form. */
function parseAuthority(target: string, start: number, end: number, needPort: boolean): AuthorityParts {
  if (start === end) throw invalid(target, "empty host");
  let hostStart = start;
  let hostEnd: number;
  let after: number;
  let ipv6 = false;
  if (target.charCodeAt(start) === 0x5b) {
    const close = target.indexOf("]", start);
    if (close === -1 || close >= end) throw invalid(target, "unclosed IPv6 literal");
    hostStart = start + 1;
    hostEnd = close;
    // node:net accepts zone ids (`%eth0`); a URI needs them as `%25`, which we do not take.
    const literal = target.slice(hostStart, hostEnd);
    if (literal.includes("%") || !isIPv6(literal)) throw invalid(target, "bad IPv6 literal");
    ipv6 = true;
    after = close + 1;
    if (after !== end && target.charCodeAt(after) !== 0x3a) throw invalid(target, "junk after IPv6 literal");
  } else {
    const colon = target.indexOf(":", start);
    hostEnd = colon === -1 || colon >= end ? end : colon;
    after = hostEnd;
    if (hostEnd === start) throw invalid(target, "empty host");
    for (let i = start; i < hostEnd; i++) {
      const c = target.charCodeAt(i);
      if (c === 0x40) throw invalid(target, "userinfo is not allowed");
      if (c === 0x25) {
        if (i + 2 >= hostEnd || !isHex(target.charCodeAt(i + 1)) || !isHex(target.charCodeAt(i + 2))) {
          throw invalid(target, `bad percent-encoding at ${i}`);
        }
        i += 2;
      } else if (c >= 0x80 || REG_NAME_CHARS[c] === 0) {
        throw invalid(target, `forbidden character in host at ${i}`);
      }
    }
  }
  let port: number | undefined;
  if (after < end) {
    // target[after] is ':'
    const digits = end - after - 1;
    if (digits > 5) throw invalid(target, "port out of range");
    let value = 0;
    for (let i = after + 1; i < end; i++) {
      const c = target.charCodeAt(i);
      if (c === 0x40) throw invalid(target, "userinfo is not allowed");
      if (c < 0x30 || c > 0x39) throw invalid(target, "port is not a number");
      value = value * 10 + (c - 0x30);
    }
    if (value > 65535) throw invalid(target, "port out of range");
    if (digits > 0) port = value;
  }
  if (needPort && port === undefined) throw invalid(target, "authority-form needs a port");
  return { hostStart, hostEnd, ipv6, port };
}

/**
 * A parsed request target (RFC 9112 §3.2). It keeps the original string and the offsets
 * of its parts; the parts are sliced only when read.
 *
 * - origin-form `/path?query` (most requests)
 * - absolute-form `http://host:port/path?query` (requests to a forward proxy)
 * - authority-form `host:port` (CONNECT only)
 * - asterisk-form `*` (server-wide OPTIONS only)
 *
 * Create one with {@link parseUri}.
 */
export class Uri {
  /** The target exactly as given. */
  readonly raw: string;
  /** Which of the four forms it is. */
  readonly form: UriForm;
  /** The port number, when one is written. */
  readonly port: number | undefined;
  /** Whether the host is an IPv6 literal (written in brackets). */
  readonly ipv6: boolean;
  private readonly schemeEnd: number;
  private readonly hostStart: number;
  private readonly hostEnd: number;
  private readonly authorityEnd: number;
  private readonly pathStart: number;
  private readonly queryStart: number;

  /** @internal Use {@link parseUri}. */
  constructor(
    raw: string,
    form: UriForm,
    schemeEnd: number,
    authority: AuthorityParts | undefined,
    authorityEnd: number,
    pathStart: number,
    queryStart: number,
  ) {
    this.raw = raw;
    this.form = form;
    this.schemeEnd = schemeEnd;
    this.hostStart = authority?.hostStart ?? -1;
    this.hostEnd = authority?.hostEnd ?? -1;
    this.ipv6 = authority?.ipv6 ?? false;
    this.port = authority?.port;
    this.authorityEnd = authorityEnd;
    this.pathStart = pathStart;
    this.queryStart = queryStart;
  }

  /** The scheme in lowercase (`http`, `https`, ...) for absolute-form, else undefined. */
  get scheme(): string | undefined {
    return this.schemeEnd === -1 ? undefined : this.raw.slice(0, this.schemeEnd).toLowerCase();
  }

  /** The host without brackets (what `net.connect` takes), for absolute- and authority-form. */
  get host(): string | undefined {
    return this.hostStart === -1 ? undefined : this.raw.slice(this.hostStart, this.hostEnd);
  }

  /** `host[:port]` as written (IPv6 in brackets): the value for a `Host` header. */
  get authority(): string | undefined {
    if (this.hostStart === -1) return undefined;
    const start = this.ipv6 ? this.hostStart - 1 : this.hostStart;
    // "host:" (empty port) is written without the colon.
    const end = this.port === undefined ? (this.ipv6 ? this.hostEnd + 1 : this.hostEnd) : this.authorityEnd;
    return this.raw.slice(start, end);
  }

  /** The port, or the scheme's default (80 for http/ws, 443 for https/wss), or undefined. */
  get effectivePort(): number | undefined {
    if (this.port !== undefined) return this.port;
    switch (this.scheme) {
      case "http":
      case "ws":
        return 80;
      case "https":
      case "wss":
        return 443;
      default:
        return undefined;
    }
  }

  /**
   * The path: as written for origin-form, `/` when absolute-form has none, `*` for
   * asterisk-form and `""` for authority-form.
   */
  get path(): string {
    if (this.pathStart === -1) return this.form === "asterisk" ? "*" : "";
    const end = this.queryStart === -1 ? this.raw.length : this.queryStart - 1;
    return end === this.pathStart ? "/" : this.raw.slice(this.pathStart, end);
  }

  /** The query without its `?` (possibly empty), or undefined when there is no `?`. */
  get query(): string | undefined {
    return this.queryStart === -1 ? undefined : this.raw.slice(this.queryStart);
  }

  /**
   * The target in origin-form, `path[?query]` (RFC 9112 §3.2.1): what a proxy sends to an
   * origin server. `*` stays `*`; authority-form has none (`""`).
   */
  get pathAndQuery(): string {
    if (this.form === "origin" || this.form === "asterisk") return this.raw;
    if (this.pathStart === -1) return "";
    if (this.pathStart === this.raw.length || this.raw.charCodeAt(this.pathStart) === 0x3f) {
      return `/${this.raw.slice(this.pathStart)}`;
    }
    return this.raw.slice(this.pathStart);
  }

  /** The target as written. */
  toString(): string {
    return this.raw;
  }
}

/**
 * Parses a request target into one of the four forms of RFC 9112 §3.2, or throws an
 * {@link HttpError} `ZP_INVALID_URI`.
 *
 * With `method`, the form must fit it: authority-form only for CONNECT (and CONNECT only
 * authority-form), `*` only for OPTIONS. Without it, a target that is neither `/...`, `*`
 * nor `scheme://...` is read as authority-form.
 *
 * Limits: absolute-form needs `scheme://` and a non-empty host; userinfo (`user@host`),
 * fragments, raw non-ASCII bytes, malformed `%HH`, IPv6 zone ids and IPvFuture literals
 * are rejected.
 */
export function parseUri(target: string, method?: string): Uri {
  const len = target.length;
  if (len === 0) throw invalid(target, "empty");
  const first = target.charCodeAt(0);
  const isConnect = method === "CONNECT";
  if (first === 0x2f) {
    if (isConnect) throw invalid(target, "CONNECT needs authority-form");
    const q = scan(target, 0, len, TARGET_CHARS, true);
    if (q < len) scan(target, q + 1, len, TARGET_CHARS, false);
    return new Uri(target, "origin", -1, undefined, -1, 0, q < len ? q + 1 : -1);
  }
  if (first === 0x2a && len === 1) {
    if (method !== undefined && method !== "OPTIONS") throw invalid(target, "asterisk-form is only for OPTIONS");
    return new Uri(target, "asterisk", -1, undefined, -1, -1, -1);
  }
  const schemeEnd = schemeLength(target);
  if (schemeEnd > 0 && !isConnect) return parseAbsolute(target, schemeEnd);
  if (method !== undefined && !isConnect) throw invalid(target, "not origin- or absolute-form");
  const authority = parseAuthority(target, 0, len, true);
  return new Uri(target, "authority", -1, authority, len, -1, -1);
}

/** The length of `scheme` when `target` starts with `scheme://`, else 0. */
function schemeLength(target: string): number {
  if (!isAlpha(target.charCodeAt(0))) return 0;
  for (let i = 1; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) continue;
    return c === 0x3a && target.charCodeAt(i + 1) === 0x2f && target.charCodeAt(i + 2) === 0x2f ? i : 0;
  }
  return 0;
}

function parseAbsolute(target: string, schemeEnd: number): Uri {
  const len = target.length;
  const authorityStart = schemeEnd + 3;
  let authorityEnd = len;
  for (let i = authorityStart; i < len; i++) {
    const c = target.charCodeAt(i);
    if (c === 0x2f || c === 0x3f) {
      authorityEnd = i;
      break;
    }
  }
  const authority = parseAuthority(target, authorityStart, authorityEnd, false);
  let queryStart = -1;
  if (authorityEnd < len) {
    const q = target.charCodeAt(authorityEnd) === 0x3f ? authorityEnd : scan(target, authorityEnd, len, TARGET_CHARS, true);
    if (q < len) {
      scan(target, q + 1, len, TARGET_CHARS, false);
      queryStart = q + 1;
    }
  }
  return new Uri(target, "absolute", schemeEnd, authority, authorityEnd, authorityEnd, queryStart);
}

/** `host[:port]` for a `Host` header or authority-form, bracketing IPv6 addresses. */
export function formatAuthority(host: string, port?: number): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}
