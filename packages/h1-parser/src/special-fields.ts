import { equalsIgnoreCase } from "./latin1.js";

// Value parsers for the fields that decide framing and connection handling. Each works on
// the raw value `buf[start..rawEnd)`: leading whitespace already skipped, trailing kept,
// because Node's parser treats trailing SP and HTAB differently in these fields and
// agreeing with it on what is rejected matters more than elegance here.

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;

/** `fieldKind` result: a field that does not decide framing or connection handling. */
export const F_OTHER = 0;
/** `fieldKind` result: Content-Length. */
export const F_CONTENT_LENGTH = 1;
/** `fieldKind` result: Transfer-Encoding. */
export const F_TRANSFER_ENCODING = 2;
/** `fieldKind` result: Connection or Proxy-Connection. */
export const F_CONNECTION = 3;
/** `fieldKind` result: Upgrade. */
export const F_UPGRADE = 4;
/** `fieldKind` result: Expect. */
export const F_EXPECT = 5;

/** Which of the fields above the name `buf[ns..ne)` is (any case). */
export function fieldKind(buf: Uint8Array, ns: number, ne: number): number {
  // The names' lengths all differ: length and first letter rule out nearly every other name.
  switch (ne - ns) {
    case 14:
      return (buf[ns]! | 0x20) === 0x63 && equalsIgnoreCase(buf, ns, ne, "content-length") ? F_CONTENT_LENGTH : F_OTHER;
    case 17:
      return (buf[ns]! | 0x20) === 0x74 && equalsIgnoreCase(buf, ns, ne, "transfer-encoding") ? F_TRANSFER_ENCODING : F_OTHER;
    case 10:
      return (buf[ns]! | 0x20) === 0x63 && equalsIgnoreCase(buf, ns, ne, "connection") ? F_CONNECTION : F_OTHER;
    case 16:
      return (buf[ns]! | 0x20) === 0x70 && equalsIgnoreCase(buf, ns, ne, "proxy-connection") ? F_CONNECTION : F_OTHER;
    case 7:
      return (buf[ns]! | 0x20) === 0x75 && equalsIgnoreCase(buf, ns, ne, "upgrade") ? F_UPGRADE : F_OTHER;
    case 6:
      return (buf[ns]! | 0x20) === 0x65 && equalsIgnoreCase(buf, ns, ne, "expect") ? F_EXPECT : F_OTHER;
    default:
      return F_OTHER;
  }
}

/** `parseContentLength` result: the value is empty or has a byte other than digits and trailing SP. */
export const CL_INVALID = -1;
/** `parseContentLength` result: the value is above 2^53 - 1. */
export const CL_OVERFLOW = -2;

/** Parses a Content-Length value: 1*DIGIT followed by optional SP. */
export function parseContentLength(buf: Uint8Array, start: number, rawEnd: number): number {
  let p = start;
  let n = 0;
  while (p < rawEnd) {
    const d = buf[p]! - 0x30;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
    if (n > Number.MAX_SAFE_INTEGER) return CL_OVERFLOW;
    p++;
  }
  if (p === start) return CL_INVALID;
  while (p < rawEnd) if (buf[p++] !== SP) return CL_INVALID;
  return n;
}

/** `parseTransferEncoding` result: a coding follows `chunked` in a request. */
export const TE_INVALID = -1;
/** `parseTransferEncoding` result: the final coding so far is not `chunked`. */
export const TE_NOT_CHUNKED = 0;
/** `parseTransferEncoding` result: the final coding so far is `chunked`. */
export const TE_CHUNKED = 1;

/**
 * Folds one Transfer-Encoding field into the state `chunkedFinal` (whether the last
 * coding seen so far is `chunked`). In a request nothing may follow `chunked`.
 */
export function parseTransferEncoding(buf: Uint8Array, start: number, rawEnd: number, chunkedFinal: boolean, isRequest: boolean): number {
  let p = start;
  for (;;) {
    let q = p;
    while (q < rawEnd && buf[q] !== COMMA) q++;
    let s = p;
    while (s < q && (buf[s] === SP || buf[s] === HTAB)) s++;
    let e = q;
    while (e > s && buf[e - 1] === SP) e--;
    // an empty element still counts as something after `chunked`
    if (chunkedFinal && isRequest) return TE_INVALID;
    chunkedFinal = s < e && equalsIgnoreCase(buf, s, e, "chunked");
    if (q >= rawEnd) break;
    p = q + 1;
  }
  return chunkedFinal ? TE_CHUNKED : TE_NOT_CHUNKED;
}

/** `parseConnection` flag: the `close` option. */
export const CONN_CLOSE = 1;
/** `parseConnection` flag: the `keep-alive` option. */
export const CONN_KEEP_ALIVE = 2;
/** `parseConnection` flag: the `upgrade` option. */
export const CONN_UPGRADE = 4;

/** The connection options (`close`, `keep-alive`, `upgrade`) in a Connection field value. */
export function parseConnection(buf: Uint8Array, start: number, rawEnd: number): number {
  let flags = 0;
  let p = start;
  for (;;) {
    let q = p;
    while (q < rawEnd && buf[q] !== COMMA) q++;
    let s = p;
    while (s < q && (buf[s] === SP || buf[s] === HTAB)) s++;
    let e = q;
    while (e > s && (buf[e - 1] === SP || buf[e - 1] === HTAB)) e--;
    const len = e - s;
    if (len === 5 && equalsIgnoreCase(buf, s, e, "close")) flags |= CONN_CLOSE;
    else if (len === 10 && equalsIgnoreCase(buf, s, e, "keep-alive")) flags |= CONN_KEEP_ALIVE;
    else if (len === 7 && equalsIgnoreCase(buf, s, e, "upgrade")) flags |= CONN_UPGRADE;
    if (q >= rawEnd) break;
    p = q + 1;
  }
  return flags;
}
