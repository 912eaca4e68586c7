import { BodyKind } from "./body-kind.js";
import { FIELD_VALUE, HEX, QDTEXT, REASON, TOKEN } from "./char-tables.js";
import { FieldsView } from "./fields.js";
import { H1Head } from "./head.js";
import { matchMethod } from "./methods.js";
import { resolveOptions, type H1Handler, type H1ParserOptions, type ResolvedOptions } from "./options.js";
import { ParseError, ParseErrorCode as E, type ParseErrorCode } from "./parse-error.js";
import {
  CL_OVERFLOW,
  CONN_CLOSE,
  CONN_KEEP_ALIVE,
  CONN_UPGRADE,
  F_CONNECTION,
  F_CONTENT_LENGTH,
  F_EXPECT,
  F_OTHER,
  F_TRANSFER_ENCODING,
  F_UPGRADE,
  fieldKind,
  TE_CHUNKED,
  TE_INVALID,
  parseConnection,
  parseContentLength,
  parseTransferEncoding,
} from "./special-fields.js";
import { checkAuthority, checkRequestTarget } from "./url-form.js";
import { skipFieldValue, skipToken, skipUrl } from "./scan.js";
import { INTERNED_NAMES, internId, matchNameAt } from "./header-names.js";
import { PREDICTOR_RESPONSES, learnName, predictName, predictorSlot } from "./name-predictor.js";
import { equalsIgnoreCase } from "./latin1.js";

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const SEMI = 0x3b;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

// Phases of a connection.
const P_START = 0; // between messages: skip CR/LF, then a head starts
const P_HEAD = 1; // inside a head or a trailer section (see the H_* states)
const P_LENGTH = 2; // Content-Length body
const P_CHUNK = 3; // chunked body (see the C_* states)
const P_UNTIL_CLOSE = 4; // response body that ends with the connection
const P_CLOSED = 5; // after a message that closes the connection: only CR/LF may follow
const P_UPGRADED = 6; // handed over to another protocol
const P_ERROR = 7;
const P_TRAILERS_START = 8; // the last chunk was read; a trailer section starts at the next byte

// States inside a head. Head bytes are always contiguous in the buffer being scanned (the
// caller's chunk, or the parser's own buffer once a head spans chunks), so each state
// can resume after the last byte it scanned and tokens can be checked once they end.
const H_METHOD = 0;
const H_BEFORE_URL = 1;
const H_URL = 2;
const H_REQ_VERSION = 3;
const H_RES_VERSION = 4;
const H_STATUS = 5;
const H_REASON = 6;
const H_START_LINE_LF = 7;
const H_LINE_START = 8;
const H_NAME = 9;
const H_VALUE_START = 10;
const H_VALUE = 11;
const H_VALUE_LF = 12;
const H_END_LF = 13;
const H_FIRST_LINE_START = 14;
const H_REQ_VERSION_END = 15;
const H_RES_VERSION_END = 16;
const H_BEFORE_VERSION = 17;

// States of a chunked body.
const C_SIZE_START = 0;
const C_SIZE = 1;
const C_EXT_NAME_START = 2;
const C_EXT_NAME = 3;
const C_EXT_VALUE_START = 4;
const C_EXT_TOKEN_VALUE = 5;
const C_EXT_QUOTED = 6;
const C_EXT_QUOTED_ESCAPE = 7;
const C_EXT_AFTER_QUOTED = 8;
const C_SIZE_LF = 9;
const C_DATA = 10;
const C_DATA_CR = 11;
const C_DATA_LF = 12;

// The framing field each interned name is, found with the same matcher as any other name.
const KIND_BY_ID = Uint8Array.from(INTERNED_NAMES, (name) => {
  const bytes = Uint8Array.from(name, (c) => c.charCodeAt(0));
  return fieldKind(bytes, 0, bytes.length);
});

/** Whether a parser reads requests or responses. */
export type H1Mode = "request" | "response";

/**
 * An incremental, zero-copy HTTP/1.x parser for one connection (RFC 9112, strict).
 *
 * Feed it bytes with {@link H1Parser.execute} in chunks of any size; it calls the
 * {@link H1Handler} callbacks as messages, bodies and trailers complete. Pipelined
 * messages in one chunk are all parsed. Invalid input throws a {@link ParseError}; the
 * parser then stays failed.
 */
export class H1Parser {
  /** The head of the message being parsed (reused for every message). */
  readonly head: H1Head;
  /** The trailer fields of the current chunked message. */
  readonly trailers: FieldsView;
  /**
   * Set to `true` before feeding a response to a HEAD request: that response has no
   * body. Cleared when the final response head is complete (interim 1xx heads keep it).
   */
  headResponse = false;
  /**
   * Set to `true` before feeding the response to a CONNECT request: a 2xx answer then
   * starts a tunnel. Cleared when the final response head is complete (interim 1xx heads
   * keep it).
   */
  connectResponse = false;

  private readonly isRequest: boolean;
  /** Where this kind of message's table of the name predictor starts. */
  private readonly predictorBase: number;
  private readonly opts: ResolvedOptions;
  private readonly handler: H1Handler;

  private phase = P_START;
  private error: ParseError | null = null;
  private upgraded = false;
  /** Bytes consumed by all earlier `execute` calls. */
  private streamPos = 0;

  // head scanning
  private hs = H_METHOD;
  private hp = 0; // where the head state machine resumes
  private inTrailers = false;
  private headStart = 0; // start of the head in the buffer being scanned
  private headStream = 0; // stream offset of that start
  private headBuf: Uint8Array;
  private headLen = 0; // bytes of a partial head held in headBuf
  private tokenStart = 0; // start of the token being scanned (method, url, name, value)
  private nameStart = 0;
  private nameEnd = 0;

  // per-message framing facts
  private contentLength = -1;
  private teSeen = false; // a Transfer-Encoding naming at least one coding
  private teHeaderSeen = false; // any Transfer-Encoding field, even empty
  private chunkedFinal = false;
  private connFlags = 0;
  private hasUpgradeHeader = false;
  private upgradeAfterBody = false;

  // body
  private remaining = 0;
  private cs = C_SIZE_START;
  private extLen = 0;

  /**
   * @param mode `"request"` on the server side, `"response"` on the client side.
   * @param handler Callbacks; keep the object shape stable for speed.
   * @param options Limits and leniency switches.
   */
  constructor(mode: H1Mode, handler: H1Handler = {}, options: H1ParserOptions = {}) {
    this.isRequest = mode === "request";
    this.predictorBase = this.isRequest ? 0 : PREDICTOR_RESPONSES;
    this.opts = resolveOptions(options);
    this.handler = handler;
    this.head = new H1Head(this.isRequest, this.opts.maxHeaders);
    this.trailers = new FieldsView(this.opts.maxTrailers);
    this.headBuf = new Uint8Array(Math.min(1024, Math.max(this.opts.maxHeaderBytes, this.opts.maxTrailerBytes)));
  }

  /** Whether the connection has switched protocol; the rest of the stream is not HTTP/1. */
  get isUpgraded(): boolean {
    return this.upgraded;
  }

  /** Whether the parser sits between messages (nothing partial buffered or pending). */
  get isIdle(): boolean {
    return this.phase === P_START || this.phase === P_CLOSED;
  }

  /**
   * Parses `buf[start..end)`. Returns `end` once every byte was consumed, or, when the
   * connection switches protocol (CONNECT, Upgrade, 101), the offset of the first byte
   * that belongs to the new protocol (see {@link H1Parser.isUpgraded}).
   * @throws ParseError when the input is not valid HTTP/1.x.
   */
  execute(buf: Uint8Array, start = 0, end: number = buf.length): number {
    if (this.phase === P_UPGRADED || this.phase === P_ERROR) this.failAgain();
    const base = this.streamPos - start; // stream offset of buf[0]
    let p = start;
    try {
      while (p < end) {
        switch (this.phase) {
          case P_START: {
            let c = buf[p]!;
            while (c === CR || c === LF) {
              if (++p === end) break;
              c = buf[p]!;
            }
            if (p === end) break;
            this.beginMessage(p, base + p);
            p = this.headPhase(buf, p, end, base);
            break;
          }
          case P_HEAD:
            p = this.headPhase(buf, p, end, base);
            break;
          case P_TRAILERS_START:
            this.beginTrailers(p, base + p);
            p = this.headPhase(buf, p, end, base);
            break;
          case P_LENGTH: {
            const avail = end - p;
            const n = avail < this.remaining ? avail : this.remaining;
            this.remaining -= n;
            this.handler.onBody?.(buf, p, p + n);
            p += n;
            if (this.remaining === 0) this.completeMessage();
            break;
          }
          case P_CHUNK:
            p = this.chunkPhase(buf, p, end, base);
            break;
          case P_UNTIL_CLOSE:
            this.handler.onBody?.(buf, p, end);
            p = end;
            break;
          case P_CLOSED: {
            const c = buf[p]!;
            if (c !== CR && c !== LF) throw new ParseError(E.DataAfterClose, base + p, "data after a message that closed the connection");
            p++;
            break;
          }
          default: {
            // P_UPGRADED: stop at the first tunnelled byte
            this.streamPos = base + p;
            return p;
          }
        }
      }
    } catch (err) {
      if (err instanceof ParseError) {
        this.phase = P_ERROR;
        this.error = err;
      }
      throw err;
    }
    this.streamPos = base + end;
    return end;
  }

  /**
   * Tells the parser the input ended (the peer closed). Completes a response whose
   * body runs until close; throws `ZP_H1_UNEXPECTED_EOF` if a message is cut short.
   */
  finish(): void {
    if (this.phase === P_ERROR) this.failAgain();
    if (this.phase === P_UNTIL_CLOSE) {
      this.phase = P_CLOSED;
      this.handler.onMessageComplete?.();
      return;
    }
    if (this.phase === P_HEAD || this.phase === P_LENGTH || this.phase === P_CHUNK || this.phase === P_TRAILERS_START) {
      const err = new ParseError(E.UnexpectedEof, this.streamPos, "the input ended inside a message");
      this.phase = P_ERROR;
      this.error = err;
      throw err;
    }
  }

  private failAgain(): never {
    throw this.error ?? new ParseError(E.Closed, this.streamPos, "the connection was handed over to another protocol");
  }

  private fail(code: ParseErrorCode, streamOffset: number, detail: string): never {
    throw new ParseError(code, streamOffset, detail);
  }

  private beginMessage(p: number, stream: number): void {
    this.phase = P_HEAD;
    this.inTrailers = false;
    this.hs = this.isRequest ? H_METHOD : H_RES_VERSION;
    this.hp = p;
    this.headStart = p;
    this.tokenStart = p;
    this.headStream = stream;
    this.headLen = 0;
    this.contentLength = -1;
    this.teSeen = false;
    this.teHeaderSeen = false;
    this.chunkedFinal = false;
    this.connFlags = 0;
    this.hasUpgradeHeader = false;
    this.upgradeAfterBody = false;
    const h = this.head;
    h.fields.count = 0;
    h.resetStrings();
    h.method = "";
    h.status = 0;
    h.expectContinue = false;
    h.upgrade = false;
  }

  private beginTrailers(p: number, stream: number): void {
    this.phase = P_HEAD;
    this.inTrailers = true;
    this.hs = H_LINE_START;
    this.hp = p;
    this.headStart = p;
    this.headStream = stream;
    this.headLen = 0;
    this.trailers.count = 0;
  }

  /**
   * Runs the head state machine over the head bytes available. Returns the index in
   * `buf` just after the head, or `end` when the head is still incomplete (its bytes
   * are then held in the parser's own buffer).
   */
  private headPhase(buf: Uint8Array, p: number, end: number, base: number): number {
    const limit = this.inTrailers ? this.opts.maxTrailerBytes : this.opts.maxHeaderBytes;
    if (this.headLen === 0) {
      // Fast path: the head starts in this chunk; offsets point into the caller's bytes.
      const limitEnd = end - this.headStart > limit ? this.headStart + limit : end;
      const r = this.runHead(buf, limitEnd, base);
      if (r >= 0) return this.afterHead(buf, r, base);
      if (limitEnd < end) this.tooLarge(limit);
      this.keepPartialHead(buf, end);
      return end;
    }
    // Slow path: append to the partial head and scan on from where we stopped.
    const old = this.headLen;
    const room = limit - old;
    const n = end - p < room ? end - p : room;
    this.ensureHeadCapacity(old + n);
    this.headBuf.set(buf.subarray(p, p + n), old);
    this.headLen = old + n;
    const hbase = this.headStream; // stream offset of headBuf[0]
    const r = this.runHead(this.headBuf, this.headLen, hbase);
    if (r >= 0) {
      this.headLen = 0;
      const next = p + (r - old);
      this.afterHead(this.headBuf, r, hbase);
      return next;
    }
    if (n < end - p) this.tooLarge(limit);
    return end;
  }

  private tooLarge(limit: number): never {
    if (this.inTrailers) this.fail(E.TrailersTooLarge, this.headStream + limit, `trailer section larger than ${limit} bytes`);
    this.fail(E.HeadersTooLarge, this.headStream + limit, `head larger than ${limit} bytes`);
  }

  private ensureHeadCapacity(n: number): void {
    if (n <= this.headBuf.length) return;
    let size = this.headBuf.length * 2;
    while (size < n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.headBuf.subarray(0, this.headLen));
    this.headBuf = next;
  }

  /** Copies a partial head into headBuf and rebases every offset recorded so far. */
  private keepPartialHead(buf: Uint8Array, end: number): void {
    const from = this.headStart;
    const len = end - from;
    this.ensureHeadCapacity(len);
    this.headBuf.set(buf.subarray(from, end), 0);
    this.headLen = len;
    this.headStart = 0;
    this.hp -= from;
    this.tokenStart -= from;
    this.nameStart -= from;
    this.nameEnd -= from;
    const h = this.head;
    h.urlStart -= from;
    h.urlEnd -= from;
    h.reasonStart -= from;
    h.reasonEnd -= from;
    const fields = this.inTrailers ? this.trailers : h.fields;
    const o = fields.offsets;
    for (let i = 0, n = fields.count * 4; i < n; i++) o[i] = o[i]! - from;
  }

  /**
   * The head state machine over `buf[this.hp .. end)`. Returns the index after the
   * final LF of the head, or -1 (state saved) when more bytes are needed.
   */
  private runHead(buf: Uint8Array, end: number, base: number): number {
    let p = this.hp;
    let s = this.hs;
    const lenient = this.opts.lenientLineEndings;
    const head = this.head;
    for (;;) {
      switch (s) {
        case H_METHOD: {
          while (p < end && TOKEN[buf[p]!] === 1) p++;
          if (p === end) return this.suspend(s, p);
          const start = this.tokenStart;
          if (buf[p] !== SP || p === start) this.fail(E.InvalidMethod, base + p, "expected a method followed by SP");
          const m = matchMethod(buf, start, p);
          if (m === undefined) this.fail(E.InvalidMethod, base + start, "unknown method");
          head.method = m;
          p++;
          s = H_BEFORE_URL;
          break;
        }
        case H_BEFORE_URL: {
          while (p < end && buf[p] === SP) p++;
          if (p === end) return this.suspend(s, p);
          this.tokenStart = p;
          s = H_URL;
          break;
        }
        case H_URL: {
          p = skipUrl(buf, p, end);
          const start = this.tokenStart;
          if (p - start > this.opts.maxUrlLength) this.fail(E.UrlTooLong, base + start + this.opts.maxUrlLength, "request-target too long");
          if (p === end) return this.suspend(s, p);
          const c = buf[p]!;
          if (c !== SP && c !== CR && c !== LF) this.fail(E.InvalidUrl, base + p, "invalid byte in request-target");
          const bad = head.method === "CONNECT" ? checkAuthority(buf, start, p) : checkRequestTarget(buf, start, p);
          if (bad >= 0) this.fail(E.InvalidUrl, base + bad, "malformed request-target");
          head.urlStart = start;
          head.urlEnd = p;
          if (c === SP) {
            p++;
            s = H_BEFORE_VERSION;
          } else {
            // HTTP/0.9-style request line without a version, as Node's parser accepts.
            head.versionMajor = 0;
            head.versionMinor = 9;
            s = H_START_LINE_LF;
          }
          break;
        }
        case H_BEFORE_VERSION: {
          // Node's parser allows several SPs here, as after the method; so do we.
          while (p < end && buf[p] === SP) p++;
          if (p === end) return this.suspend(s, p);
          s = H_REQ_VERSION;
          break;
        }
        case H_REQ_VERSION: {
          if (end - p < 8) return this.suspend(s, p);
          this.readVersion(buf, p, base);
          p += 8;
          s = H_REQ_VERSION_END;
          break;
        }
        case H_REQ_VERSION_END: {
          if (p === end) return this.suspend(s, p);
          const c = buf[p]!;
          if (c !== CR && c !== LF) this.fail(E.InvalidVersion, base + p, "expected CRLF after the version");
          s = H_START_LINE_LF;
          break;
        }
        case H_RES_VERSION: {
          if (end - p < 8) return this.suspend(s, p);
          this.readVersion(buf, p, base);
          p += 8;
          s = H_RES_VERSION_END;
          break;
        }
        case H_RES_VERSION_END: {
          if (p === end) return this.suspend(s, p);
          if (buf[p] !== SP) this.fail(E.InvalidVersion, base + p, "expected SP after the version");
          p++;
          s = H_STATUS;
          break;
        }
        case H_STATUS: {
          if (end - p < 4) return this.suspend(s, p);
          const a = buf[p]! - 0x30;
          const b = buf[p + 1]! - 0x30;
          const d = buf[p + 2]! - 0x30;
          if (a < 0 || a > 9 || b < 0 || b > 9 || d < 0 || d > 9) this.fail(E.InvalidStatus, base + p, "status code must be 3 digits");
          head.status = a * 100 + b * 10 + d;
          p += 3;
          const c = buf[p]!;
          if (c === SP) {
            p++;
            this.tokenStart = p;
            s = H_REASON;
          } else if (c === CR || c === LF) {
            head.reasonStart = head.reasonEnd = p;
            s = H_START_LINE_LF;
          } else {
            this.fail(E.InvalidStatus, base + p, "expected SP or CRLF after the status code");
          }
          break;
        }
        case H_REASON: {
          while (p < end && REASON[buf[p]!] === 1) p++;
          if (p === end) return this.suspend(s, p);
          const c = buf[p]!;
          if (c !== CR && c !== LF) this.fail(E.InvalidReason, base + p, "invalid byte in reason phrase");
          head.reasonStart = this.tokenStart;
          head.reasonEnd = p;
          s = H_START_LINE_LF;
          break;
        }
        case H_START_LINE_LF: {
          // at the CR (or bare LF) ending the start line
          if (buf[p] === LF) {
            if (!lenient) this.fail(E.BareLf, base + p, "bare LF after the start line");
            p++;
          } else {
            if (end - p < 2) return this.suspend(s, p);
            if (buf[p + 1] !== LF) this.fail(E.BareCr, base + p + 1, "expected LF after CR");
            p += 2;
          }
          s = H_FIRST_LINE_START;
          break;
        }
        case H_FIRST_LINE_START:
        case H_LINE_START: {
          const fields = this.inTrailers ? this.trailers : head.fields;
          // Ordinary complete lines go through the fast loop; the line it stops at (the
          // end of the section, a cut or anything unusual) is taken state by state.
          const q = this.fieldLines(fields, buf, p, end, base);
          if (q !== p) {
            p = q;
            s = H_LINE_START;
          }
          if (p === end) return this.suspend(s, p);
          const c = buf[p]!;
          if (c === CR) {
            p++;
            s = H_END_LF;
            break;
          }
          if (c === LF) {
            if (!lenient) this.fail(E.BareLf, base + p, "bare LF ending the head");
            return p + 1;
          }
          if (c === SP || c === HTAB) {
            this.fail(E.ObsFold, base + p, s === H_FIRST_LINE_START ? "whitespace after the start line" : "obsolete line folding");
          }
          if (fields.count === fields.offsets.length >> 2) {
            if (this.inTrailers) this.fail(E.TooManyTrailers, base + p, "too many trailer fields");
            this.fail(E.TooManyHeaders, base + p, "too many header fields");
          }
          this.nameStart = p;
          s = H_NAME;
          break;
        }
        case H_NAME: {
          while (p < end && TOKEN[buf[p]!] === 1) p++;
          if (p === end) return this.suspend(s, p);
          if (buf[p] !== COLON || p === this.nameStart) this.fail(E.InvalidHeaderToken, base + p, "invalid byte in field name");
          this.nameEnd = p;
          p++;
          s = H_VALUE_START;
          break;
        }
        case H_VALUE_START: {
          while (p < end && (buf[p] === SP || buf[p] === HTAB)) p++;
          if (p === end) return this.suspend(s, p);
          this.tokenStart = p;
          s = H_VALUE;
          break;
        }
        case H_VALUE: {
          p = skipFieldValue(buf, p, end);
          if (p === end) return this.suspend(s, p);
          const c = buf[p]!;
          if (c === LF) {
            if (!lenient) this.fail(E.BareLf, base + p, "bare LF after a field value");
            this.endField(buf, p, base);
            p++;
            s = H_LINE_START;
            break;
          }
          if (c !== CR) this.fail(E.InvalidHeaderValue, base + p, "invalid byte in field value");
          this.endField(buf, p, base);
          p++;
          s = H_VALUE_LF;
          break;
        }
        case H_VALUE_LF: {
          if (p === end) return this.suspend(s, p);
          if (buf[p] !== LF) this.fail(E.BareCr, base + p, "expected LF after CR");
          p++;
          s = H_LINE_START;
          break;
        }
        default: {
          // H_END_LF
          if (p === end) return this.suspend(s, p);
          if (buf[p] !== LF) this.fail(E.BareCr, base + p, "expected LF after the final CR of the head");
          return p + 1;
        }
      }
    }
  }

  /**
   * The fast path over complete, ordinary field lines (`name: value CRLF`, every byte
   * valid) from the line start `p`. Records each field and returns the start of the first
   * line it does not take: the end of the section, a line cut by the end of the input,
   * or anything the state machine must judge (and report with the exact offset).
   */
  private fieldLines(fields: FieldsView, buf: Uint8Array, p: number, end: number, base: number): number {
    const o = fields.offsets;
    const ids = fields.nameIds;
    const max = ids.length;
    const special = !this.inTrailers;
    let n = fields.count;
    while (n < max) {
      // Try the name that followed the previous one last time; else scan a token.
      const slot = predictorSlot(n > 0 ? ids[n - 1]! : -2, this.predictorBase);
      let id = predictName(slot);
      let q = id >= 0 ? matchNameAt(id, buf, p, end) : -1;
      if (q < 0 || buf[q] !== COLON) {
        q = skipToken(buf, p, end);
        if (q === p || q >= end || buf[q] !== COLON) break;
        id = internId(buf, p, q);
        learnName(slot, id);
      }
      const ne = q++;
      while (q < end && (buf[q] === SP || buf[q] === HTAB)) q++;
      const vs = q;
      q = skipFieldValue(buf, q, end);
      if (q + 1 >= end || buf[q] !== CR || buf[q + 1] !== LF) break;
      let ve = q;
      while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
      const i = n * 4;
      o[i] = p;
      o[i + 1] = ne;
      o[i + 2] = vs;
      o[i + 3] = ve;
      ids[n] = id;
      fields.count = ++n;
      if (special) {
        const kind = id >= 0 ? KIND_BY_ID[id]! : fieldKind(buf, p, ne);
        if (kind !== F_OTHER) this.specialField(kind, buf, p, vs, q, base);
      }
      p = q + 2;
    }
    return p;
  }

  private suspend(state: number, p: number): number {
    this.hs = state;
    this.hp = p;
    return -1;
  }

  /** Checks `HTTP/x.y` at `buf[p..p+8)` and stores the version. */
  private readVersion(buf: Uint8Array, p: number, base: number): void {
    if (buf[p] !== 0x48 || buf[p + 1] !== 0x54 || buf[p + 2] !== 0x54 || buf[p + 3] !== 0x50 || buf[p + 4] !== 0x2f) {
      this.fail(E.InvalidProtocol, base + p, "expected HTTP/");
    }
    const major = buf[p + 5]! - 0x30;
    const minor = buf[p + 7]! - 0x30;
    if (major < 0 || major > 9 || buf[p + 6] !== 0x2e || minor < 0 || minor > 9) {
      this.fail(E.InvalidVersion, base + p + 5, "malformed HTTP version");
    }
    // The versions Node's parser accepts: 0.9, 1.0, 1.1 and 2.0.
    if (!((major === 1 && minor <= 1) || (major === 0 && minor === 9) || (major === 2 && minor === 0))) {
      this.fail(E.InvalidVersion, base + p + 5, "unsupported HTTP version");
    }
    this.head.versionMajor = major;
    this.head.versionMinor = minor;
  }

  /** Records the field whose value ends (before the line ending) at `rawEnd`. */
  private endField(buf: Uint8Array, rawEnd: number, base: number): void {
    const vs = this.tokenStart;
    let ve = rawEnd;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
    const ns = this.nameStart;
    const ne = this.nameEnd;
    if (this.inTrailers) {
      const t = this.trailers;
      t.nameIds[t.count] = internId(buf, ns, ne);
      const i = t.count++ * 4;
      const o = t.offsets;
      o[i] = ns;
      o[i + 1] = ne;
      o[i + 2] = vs;
      o[i + 3] = ve;
      return;
    }
    const f = this.head.fields;
    f.nameIds[f.count] = internId(buf, ns, ne);
    const i = f.count++ * 4;
    const o = f.offsets;
    o[i] = ns;
    o[i + 1] = ne;
    o[i + 2] = vs;
    o[i + 3] = ve;
    const kind = fieldKind(buf, ns, ne);
    if (kind !== F_OTHER) this.specialField(kind, buf, ns, vs, rawEnd, base);
  }

  /** Applies Content-Length, Transfer-Encoding, Connection, Upgrade and Expect. */
  private specialField(kind: number, buf: Uint8Array, ns: number, vs: number, rawEnd: number, base: number): void {
    switch (kind) {
      case F_CONTENT_LENGTH: {
        if (this.contentLength >= 0) this.fail(E.DuplicateContentLength, base + ns, "more than one Content-Length");
        if (this.teHeaderSeen) this.fail(E.ContentLengthWithTransferEncoding, base + ns, "Content-Length with Transfer-Encoding");
        const n = parseContentLength(buf, vs, rawEnd);
        if (n < 0) {
          if (n === CL_OVERFLOW) this.fail(E.ContentLengthOverflow, base + vs, "Content-Length too large");
          this.fail(E.InvalidContentLength, base + vs, "Content-Length must be digits");
        }
        this.contentLength = n;
        break;
      }
      case F_TRANSFER_ENCODING: {
        if (this.contentLength >= 0) this.fail(E.ContentLengthWithTransferEncoding, base + ns, "Transfer-Encoding with Content-Length");
        this.teHeaderSeen = true;
        // An empty value names no coding and changes nothing (as in Node's parser).
        let ve = rawEnd;
        while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
        if (ve === vs) break;
        const r = parseTransferEncoding(buf, vs, rawEnd, this.chunkedFinal, this.isRequest);
        if (r === TE_INVALID) this.fail(E.InvalidTransferEncoding, base + vs, "a transfer coding follows chunked");
        this.teSeen = true;
        this.chunkedFinal = r === TE_CHUNKED;
        break;
      }
      case F_CONNECTION:
        this.connFlags |= parseConnection(buf, vs, rawEnd);
        break;
      case F_UPGRADE:
        this.hasUpgradeHeader = true;
        break;
      case F_EXPECT:
        if (this.isRequest) {
          let ve = rawEnd;
          while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
          if (equalsIgnoreCase(buf, vs, ve, "100-continue")) this.head.expectContinue = true;
        }
        break;
    }
  }

  /** A head (or trailer section) ended at `buf[end]`: decide framing and report it. */
  private afterHead(buf: Uint8Array, end: number, base: number): number {
    if (this.inTrailers) {
      this.trailers.setSection(buf, this.headStart, end);
      if (this.trailers.count > 0) this.handler.onTrailers?.(this.trailers);
      this.completeMessage();
      return end;
    }
    const head = this.head;
    head.fields.setSection(buf, this.headStart, end);
    const is11 = head.versionMajor > 0 && head.versionMinor > 0;
    const flags = this.connFlags;
    let keepAlive = (flags & CONN_CLOSE) === 0 && (is11 || (flags & CONN_KEEP_ALIVE) !== 0);
    let kind: BodyKind = BodyKind.None;
    let upgradeNow = false;
    head.contentLength = this.contentLength;
    if (this.isRequest) {
      if (this.teSeen) {
        if (!this.chunkedFinal) this.fail(E.InvalidTransferEncoding, base + end - 1, "the final transfer coding of a request must be chunked");
        kind = BodyKind.Chunked;
      } else if (this.contentLength > 0) {
        kind = BodyKind.Length;
      }
      if (head.method === "CONNECT") {
        upgradeNow = true;
        kind = BodyKind.None;
      } else if ((flags & CONN_UPGRADE) !== 0 && this.hasUpgradeHeader) {
        if (kind === BodyKind.None) upgradeNow = true;
        else this.upgradeAfterBody = true;
      }
    } else {
      const status = head.status;
      const skip = this.headResponse;
      const toConnect = this.connectResponse;
      // Interim heads (1xx other than 101) come before the final answer to the same
      // request: the flags must survive them, or a HEAD response after a 103 gets a body.
      if (status >= 200 || status === 101) {
        this.headResponse = false;
        this.connectResponse = false;
      }
      if (status === 101 || (toConnect && status >= 200 && status < 300)) {
        upgradeNow = true;
      } else if (skip || (status >= 100 && status < 200) || status === 204 || status === 304) {
        kind = BodyKind.None;
      } else if (this.teSeen) {
        kind = this.chunkedFinal ? BodyKind.Chunked : BodyKind.UntilClose;
      } else if (this.contentLength >= 0) {
        kind = this.contentLength > 0 ? BodyKind.Length : BodyKind.None;
      } else {
        kind = BodyKind.UntilClose;
      }
      if (kind === BodyKind.UntilClose) keepAlive = false;
    }
    head.bodyKind = kind;
    head.shouldKeepAlive = keepAlive;
    head.upgrade = upgradeNow || this.upgradeAfterBody;
    if (this.handler.onHeaders?.(head) === true && !upgradeNow) {
      kind = BodyKind.None;
      head.bodyKind = kind;
      this.upgradeAfterBody = false;
      if (!this.isRequest) {
        keepAlive = (flags & CONN_CLOSE) === 0 && (is11 || (flags & CONN_KEEP_ALIVE) !== 0);
        head.shouldKeepAlive = keepAlive;
      }
    }
    if (upgradeNow) {
      this.handler.onMessageComplete?.();
      this.phase = P_UPGRADED;
      this.upgraded = true;
      return end;
    }
    switch (kind) {
      case BodyKind.Length:
        this.remaining = this.contentLength;
        this.phase = P_LENGTH;
        break;
      case BodyKind.Chunked:
        this.cs = C_SIZE_START;
        this.phase = P_CHUNK;
        break;
      case BodyKind.UntilClose:
        this.phase = P_UNTIL_CLOSE;
        break;
      default:
        this.completeMessage();
    }
    return end;
  }

  private completeMessage(): void {
    this.handler.onMessageComplete?.();
    if (this.upgradeAfterBody) {
      this.phase = P_UPGRADED;
      this.upgraded = true;
    } else {
      this.phase = this.head.shouldKeepAlive ? P_START : P_CLOSED;
    }
  }

  /** The chunked-body state machine; returns where it stopped. */
  private chunkPhase(buf: Uint8Array, p: number, end: number, base: number): number {
    let s = this.cs;
    const lenient = this.opts.lenientLineEndings;
    while (p < end) {
      const c = buf[p]!;
      switch (s) {
        case C_SIZE_START: {
          const d = HEX[c]!;
          if (d === 255) this.fail(E.InvalidChunkSize, base + p, "expected a hex chunk size");
          this.remaining = d;
          s = C_SIZE;
          p++;
          break;
        }
        case C_SIZE: {
          const d = HEX[c]!;
          if (d !== 255) {
            const next = this.remaining * 16 + d;
            if (next > Number.MAX_SAFE_INTEGER) this.fail(E.ChunkSizeOverflow, base + p, "chunk size too large");
            this.remaining = next;
            p++;
          } else if (c === SEMI) {
            this.extLen = 0;
            s = C_EXT_NAME_START;
            p = this.countExt(p, base);
          } else if (c === CR) {
            s = C_SIZE_LF;
            p++;
          } else if (c === LF && lenient) {
            s = C_SIZE_LF; // C_SIZE_LF consumes this LF
          } else {
            this.fail(c === LF ? E.BareLf : E.InvalidChunkSize, base + p, "invalid byte in chunk size");
          }
          break;
        }
        case C_EXT_NAME_START:
          if (TOKEN[c] !== 1) this.fail(E.InvalidChunkExtension, base + p, "expected a chunk extension name");
          s = C_EXT_NAME;
          p = this.countExt(p, base);
          break;
        case C_EXT_NAME:
        case C_EXT_TOKEN_VALUE:
          if (TOKEN[c] === 1) {
            p = this.countExt(p, base);
          } else if (c === EQUALS && s === C_EXT_NAME) {
            s = C_EXT_VALUE_START;
            p = this.countExt(p, base);
          } else {
            s = this.endOfExtension(c, p, base);
            if (c !== LF) p++;
          }
          break;
        case C_EXT_VALUE_START:
          if (c === DQUOTE) s = C_EXT_QUOTED;
          else if (TOKEN[c] === 1) s = C_EXT_TOKEN_VALUE;
          else this.fail(E.InvalidChunkExtension, base + p, "expected a chunk extension value");
          p = this.countExt(p, base);
          break;
        case C_EXT_QUOTED:
          if (c === DQUOTE) s = C_EXT_AFTER_QUOTED;
          else if (c === BACKSLASH) s = C_EXT_QUOTED_ESCAPE;
          else if (QDTEXT[c] !== 1) this.fail(E.InvalidChunkExtension, base + p, "invalid byte in quoted chunk extension value");
          p = this.countExt(p, base);
          break;
        case C_EXT_QUOTED_ESCAPE:
          if (FIELD_VALUE[c] !== 1) this.fail(E.InvalidChunkExtension, base + p, "invalid escaped byte in chunk extension");
          s = C_EXT_QUOTED;
          p = this.countExt(p, base);
          break;
        case C_EXT_AFTER_QUOTED:
          s = this.endOfExtension(c, p, base);
          if (c !== LF) p++;
          break;
        case C_SIZE_LF: {
          if (c !== LF) this.fail(E.BareCr, base + p, "expected LF after the chunk size line");
          p++;
          if (this.remaining > 0) {
            s = C_DATA;
            break;
          }
          this.phase = P_TRAILERS_START;
          return p;
        }
        case C_DATA: {
          const avail = end - p;
          const n = avail < this.remaining ? avail : this.remaining;
          this.remaining -= n;
          this.handler.onBody?.(buf, p, p + n);
          p += n;
          if (this.remaining === 0) s = C_DATA_CR;
          break;
        }
        case C_DATA_CR:
          if (c === CR) p++;
          else if (c !== LF || !lenient) this.fail(E.InvalidChunkData, base + p, "expected CRLF after chunk data");
          s = C_DATA_LF; // a lenient bare LF is consumed there
          break;
        default:
          // C_DATA_LF
          if (c !== LF) this.fail(E.InvalidChunkData, base + p, "expected LF after chunk data");
          s = C_SIZE_START;
          p++;
      }
    }
    this.cs = s;
    return p;
  }

  /** Counts one chunk-extension byte against the limit; returns the next index. */
  private countExt(p: number, base: number): number {
    if (++this.extLen > this.opts.maxChunkExtensionBytes) this.fail(E.ChunkExtensionTooLong, base + p, "chunk extensions too long");
    return p + 1;
  }

  /** After an extension name or value: `;` starts another, CR ends the line. */
  private endOfExtension(c: number, p: number, base: number): number {
    if (c === SEMI) {
      this.countExt(p, base);
      return C_EXT_NAME_START;
    }
    // a lenient bare LF is left for C_SIZE_LF to consume
    if (c === CR || (c === LF && this.opts.lenientLineEndings)) return C_SIZE_LF;
    return this.fail(E.InvalidChunkExtension, base + p, "invalid byte in chunk extension");
  }

}
