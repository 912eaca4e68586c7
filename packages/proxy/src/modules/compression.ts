import { hasListToken, parseContentLength, type RequestHeader, type ResponseHeader } from "@zp/http";
import { type ContentEncoding, DEFAULT_ENCODINGS, negotiateEncoding } from "./accept-encoding.js";
import { ContentTypeMatcher, DEFAULT_COMPRESSIBLE_TYPES } from "./compressible-types.js";
import { ModuleError, ModuleErrorType, requireInteger } from "./module-error.js";
import { type CompressorOptions, ResponseCompressor } from "./response-compressor.js";
import { addVary, weakenEtag } from "./vary-etag.js";

/** Options of {@link CompressionPolicy} (and of {@link shouldCompress}). */
export interface CompressionOptions {
  /** Codings offered, in the server's order of preference (default `["br", "gzip"]`). */
  encodings?: readonly ContentEncoding[];
  /** Compressible media types (default {@link DEFAULT_COMPRESSIBLE_TYPES}); see {@link ContentTypeMatcher}. */
  contentTypes?: readonly string[];
  /** Smallest `Content-Length` compressed (default 1024). Bodies of unknown length always qualify. */
  minSize?: number;
  /** Largest `Content-Length` compressed (default no limit). */
  maxSize?: number;
  /** gzip level 0-9 (default 6). */
  gzipLevel?: number;
  /** Brotli quality 0-11 (default 4). */
  brotliQuality?: number;
  /** Flush after every chunk (default true); see {@link CompressorOptions.flush}. */
  flush?: boolean;
}

const NO_TRANSFORM = "no-transform";

/**
 * The response compression rules, resolved once from {@link CompressionOptions} and applied
 * per response from a response filter:
 *
 * ```ts
 * const compression = new CompressionPolicy({ minSize: 512 });
 * // response filter, once the upstream's head is known:
 * const encoding = compression.apply(request, response); // edits the head
 * const compressor = encoding && compression.createCompressor(encoding);
 * // body filter: chunk = await compressor.push(chunk) ... await compressor.end()
 * ```
 *
 * A response is compressed when all hold (cheapest checks first): the request is not HEAD
 * or CONNECT and has no `Cache-Control: no-transform`; the status is not 1xx, 204, 206 or 304; no `Content-Encoding` and no
 * `Content-Range` is set; `Cache-Control` has no `no-transform`; the `Content-Type` is
 * compressible; `Content-Length` is absent or within `[minSize, maxSize]`; and the client
 * accepts a coding (see {@link negotiateEncoding}).
 */
export class CompressionPolicy {
  /** Codings offered, in preference order. */
  readonly encodings: readonly ContentEncoding[];
  /** Smallest `Content-Length` compressed. */
  readonly minSize: number;
  /** Largest `Content-Length` compressed. */
  readonly maxSize: number;
  private readonly types: ContentTypeMatcher;
  private readonly gzipOptions: CompressorOptions;
  private readonly brotliOptions: CompressorOptions;

  /** Throws an `InvalidOption` {@link ModuleError} for a bad option. */
  constructor(options: CompressionOptions = {}) {
    const encodings = options.encodings ?? DEFAULT_ENCODINGS;
    for (const e of encodings) {
      if (e !== "br" && e !== "gzip") throw new ModuleError(ModuleErrorType.InvalidOption, `unknown encoding ${JSON.stringify(e)}`);
    }
    this.encodings = Object.freeze([...new Set(encodings)]);
    this.minSize = options.minSize ?? 1024;
    this.maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
    if (!(this.minSize >= 0) || !(this.maxSize >= this.minSize)) {
      throw new ModuleError(ModuleErrorType.InvalidOption, `need 0 <= minSize <= maxSize, got ${this.minSize} and ${this.maxSize}`);
    }
    this.types = new ContentTypeMatcher(options.contentTypes ?? DEFAULT_COMPRESSIBLE_TYPES);
    const flush = options.flush ?? true;
    // Checked now, not on the first compressed response.
    this.gzipOptions = { level: requireInteger("gzipLevel", options.gzipLevel ?? 6, 0, 9), flush };
    this.brotliOptions = { level: requireInteger("brotliQuality", options.brotliQuality ?? 4, 0, 11), flush };
  }

  /**
   * Whether `response` may be compressed at all, whatever the client accepts: the
   * status, `Content-Encoding`, `Content-Range`, `Cache-Control: no-transform`,
   * `Content-Type` and `Content-Length` rules. When true, the response varies with
   * `Accept-Encoding`.
   */
  isCompressible(response: ResponseHeader): boolean {
    const status = response.status;
    if (status < 200 || status === 204 || status === 206 || status === 304) return false;
    const headers = response.headers;
    if (headers.has("content-encoding") || headers.has("content-range")) return false;
    const type = headers.get("content-type");
    if (type === undefined || !this.types.matches(type)) return false;
    const length = headers.get("content-length");
    if (length !== undefined) {
      const n = parseContentLength(length);
      if (n < this.minSize || n > this.maxSize) return false;
    }
    const cacheControl = headers.getJoined("cache-control");
    return cacheControl === undefined || !hasListToken(cacheControl, NO_TRANSFORM);
  }

  /**
   * Whether `response` to `request` may be compressed: {@link isCompressible}, a method
   * whose response has a body (not HEAD or CONNECT), and no `Cache-Control: no-transform`
   * in the request (RFC 9111 §5.2.1.6: the client asks intermediaries not to transform).
   */
  shouldCompress(request: RequestHeader, response: ResponseHeader): boolean {
    return this.requestAllows(request) && this.isCompressible(response);
  }

  /** The coding to use for `response` to `request`, or undefined to send it as is. Changes nothing. */
  select(request: RequestHeader, response: ResponseHeader): ContentEncoding | undefined {
    if (!this.shouldCompress(request, response)) return undefined;
    return negotiateEncoding(request.headers.getJoined("accept-encoding"), this.encodings);
  }

  /**
   * Decides and edits the head in one call: picks the coding (see {@link select}), and
   * calls {@link prepareHeaders} with it when the response is compressible, so that a
   * response sent as is to this client still says `Vary: Accept-Encoding` when another
   * client would have got it compressed. Returns the coding, or undefined.
   */
  apply(request: RequestHeader, response: ResponseHeader): ContentEncoding | undefined {
    if (request.method === "CONNECT" || !this.isCompressible(response)) return undefined;
    const encoding = this.requestAllows(request)
      ? negotiateEncoding(request.headers.getJoined("accept-encoding"), this.encodings)
      : undefined;
    prepareHeaders(response, encoding);
    return encoding;
  }

  /** The request-side rules: a method with a response body, no `no-transform`. */
  private requestAllows(request: RequestHeader): boolean {
    const method = request.method;
    if (method === "HEAD" || method === "CONNECT") return false;
    const cacheControl = request.headers.getJoined("cache-control");
    return cacheControl === undefined || !hasListToken(cacheControl, NO_TRANSFORM);
  }

  /** A compressor for one response body, with this policy's level and flush settings. */
  createCompressor(encoding: ContentEncoding, sizeHint?: number): ResponseCompressor {
    const base = encoding === "gzip" ? this.gzipOptions : this.brotliOptions;
    return new ResponseCompressor(encoding, sizeHint === undefined ? base : { ...base, sizeHint });
  }
}

/**
 * Edits a response head for a body about to be compressed with `encoding`:
 *
 * - sets `Content-Encoding`;
 * - removes `Content-Length` (the compressed length is unknown until the end: the server
 *   frames the body chunked for HTTP/1.1, by closing for HTTP/1.0), `Accept-Ranges` (ranges
 *   of the compressed body are not served) and the digests of the original bytes
 *   (`Content-MD5`, `Content-Digest`, `Repr-Digest`);
 * - weakens a strong `ETag` (see {@link weakenEtag});
 * - adds `Accept-Encoding` to `Vary` (see {@link addVary}).
 *
 * With `encoding` undefined only `Vary` is added: for a compressible response sent as is
 * because this client did not accept a coding, so caches keep the variants apart.
 */
export function prepareHeaders(response: ResponseHeader, encoding: ContentEncoding | undefined): void {
  const headers = response.headers;
  if (encoding !== undefined) {
    headers.setUnchecked("Content-Encoding", encoding);
    headers.remove("content-length");
    headers.remove("accept-ranges");
    headers.remove("content-md5");
    headers.remove("content-digest");
    headers.remove("repr-digest");
    weakenEtag(headers);
  }
  addVary(headers, "Accept-Encoding");
}

const policies = new WeakMap<CompressionOptions, CompressionPolicy>();

/** The policy for `options`, built once per options object. */
function policyFor(options: CompressionOptions | CompressionPolicy | undefined): CompressionPolicy {
  if (options instanceof CompressionPolicy) return options;
  const key = options ?? DEFAULT_OPTIONS;
  let policy = policies.get(key);
  if (policy === undefined) {
    policy = new CompressionPolicy(key);
    policies.set(key, policy);
  }
  return policy;
}

const DEFAULT_OPTIONS: CompressionOptions = Object.freeze({});

/**
 * Whether `response` to `request` may be compressed under `options` (see
 * {@link CompressionPolicy.shouldCompress}); the client's `Accept-Encoding` is not
 * consulted (use {@link negotiateEncoding}). A policy is built once per options object.
 */
export function shouldCompress(
  request: RequestHeader,
  response: ResponseHeader,
  options?: CompressionOptions | CompressionPolicy,
): boolean {
  return policyFor(options).shouldCompress(request, response);
}
