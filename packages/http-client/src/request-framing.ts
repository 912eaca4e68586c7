import { Buffer } from "node:buffer";
import { HeaderKeySet, expectsRequestBody, parseContentLength, type HeaderMap, type RequestHeader } from "@zp/http";
import { requestFramingError } from "./client-errors.js";

/** How much body a request head announces: `bodyLength` argument of `writeRequestHeader`. */
export type BodyLength = number | boolean | undefined;

/** Framing code for a chunked request body (any other value is a Content-Length). */
export const CHUNKED = -1;

function lastCodingIsChunked(te: string): boolean {
  const comma = te.lastIndexOf(",");
  return te.slice(comma + 1).trim().toLowerCase() === "chunked";
}

const FRAMING_KEYS = new HeaderKeySet(["transfer-encoding", "content-length"]);
const HAS_TE = 1;
const HAS_CL = 2;
const NONE: readonly string[] = [];

/**
 * Decides how a request body is framed, completing the head when it says nothing:
 *
 * - a `Transfer-Encoding` ending in `chunked` → chunked (with `Content-Length` too: refused);
 * - a `Content-Length` → exactly that many bytes (a different `bodyLength` number: refused);
 * - otherwise `bodyLength` decides: a number adds `Content-Length`, `true` (length unknown)
 *   adds `Transfer-Encoding: chunked` (refused for HTTP/1.0, which cannot frame it), and
 *   none/`false`/0 means no body (`Content-Length: 0` is added for POST, PUT and PATCH).
 *
 * Returns the body length, or {@link CHUNKED}. Refusals throw an `InvalidHTTPHeader` ZpError.
 */
export function frameRequest(head: RequestHeader, bodyLength: BodyLength): number {
  const headers: HeaderMap = head.headers;
  // one pass finds whether either field is there (most requests have neither)
  const present = headers.presentKeys(FRAMING_KEYS);
  const te = (present & HAS_TE) !== 0 ? headers.getJoined("transfer-encoding") : undefined;
  const cl = (present & HAS_CL) !== 0 ? headers.getAll("content-length") : NONE;
  if (te !== undefined) {
    if (cl.length > 0) throw requestFramingError("a request head with both Content-Length and Transfer-Encoding");
    if (!lastCodingIsChunked(te)) throw requestFramingError(`request Transfer-Encoding must end in chunked, got ${JSON.stringify(te)}`);
    if (head.version === "HTTP/1.0") throw requestFramingError("HTTP/1.0 has no chunked transfer coding");
    return CHUNKED;
  }
  if (cl.length > 0) {
    const n = parseContentLength(cl[0]!);
    if (n < 0 || cl.some((v) => v !== cl[0])) throw requestFramingError(`invalid request Content-Length ${JSON.stringify(cl.join(", "))}`);
    if (typeof bodyLength === "number" && bodyLength !== n) throw requestFramingError(`Content-Length ${n} but a body of ${bodyLength} bytes`);
    if (cl.length > 1) headers.setUnchecked("Content-Length", cl[0]!);
    return n;
  }
  if (typeof bodyLength === "number" && bodyLength > 0) {
    if (!Number.isSafeInteger(bodyLength)) throw requestFramingError(`invalid body length ${bodyLength}`);
    headers.appendUnchecked("Content-Length", String(bodyLength));
    return bodyLength;
  }
  if (bodyLength === true) {
    if (head.version === "HTTP/1.0") throw requestFramingError("an HTTP/1.0 request body needs a known length");
    headers.appendUnchecked("Transfer-Encoding", "chunked");
    return CHUNKED;
  }
  if (expectsRequestBody(head.method)) headers.appendUnchecked("Content-Length", "0");
  return 0;
}

const CRLF = Buffer.from("\r\n", "latin1");
const LAST_CHUNK = Buffer.from("0\r\n\r\n", "latin1");
/** Chunks up to this size are copied into one buffer with their framing; larger ones are written beside it. */
export const SMALL_CHUNK = 4096;

/** `size-in-hex CRLF` for a chunk of `length` bytes. */
export function chunkHeader(length: number): Buffer {
  return Buffer.from(`${length.toString(16)}\r\n`, "latin1");
}

/** A small chunk with its framing in one buffer: `size CRLF data CRLF`. */
export function framedSmallChunk(data: Uint8Array): Buffer {
  const hex = data.length.toString(16);
  const out = Buffer.allocUnsafe(hex.length + data.length + 4);
  let at = out.write(hex, 0, "latin1");
  out[at++] = 0x0d;
  out[at++] = 0x0a;
  out.set(data, at);
  at += data.length;
  out[at++] = 0x0d;
  out[at] = 0x0a;
  return out;
}

/** The CRLF after chunk data. */
export function chunkTrailerCrlf(): Buffer {
  return CRLF;
}

/** The last chunk, with trailer fields when given: `0 CRLF fields CRLF`. */
export function lastChunk(trailers: HeaderMap | undefined): Buffer {
  if (trailers === undefined || trailers.size === 0) return LAST_CHUNK;
  const out = Buffer.allocUnsafe(3 + trailers.encodedLength() + 2);
  out.write("0\r\n", 0, "latin1");
  let at = trailers.writeInto(out, 3);
  out[at++] = 0x0d;
  out[at] = 0x0a;
  return out;
}
