import { BodyKind } from "./body-kind.js";
import { FieldsView } from "./fields.js";

/**
 * The parsed head of one message: start line, header fields and the framing the parser
 * derived from them. Strings are made only when a getter is called; everything else is
 * numbers and offsets into `fields.buf`.
 *
 * Valid while `onHeaders` runs (the parser reuses it for the next message).
 */
export class H1Head {
  /** The header fields. */
  readonly fields: FieldsView;
  /** `true` for a request, `false` for a response. */
  readonly isRequest: boolean;
  /** The request method (interned string), `""` in a response. */
  method = "";
  /** Start offset of the request-target in `fields.buf`. */
  urlStart = 0;
  /** End offset of the request-target in `fields.buf`. */
  urlEnd = 0;
  /** HTTP major version (0, 1 or 2). */
  versionMajor = 1;
  /** HTTP minor version. */
  versionMinor = 1;
  /** Response status code, 0 in a request. */
  status = 0;
  /** Start offset of the reason phrase in `fields.buf`. */
  reasonStart = 0;
  /** End offset of the reason phrase in `fields.buf`. */
  reasonEnd = 0;
  /** How the body is framed. */
  bodyKind: BodyKind = BodyKind.None;
  /** The Content-Length value, or -1 when there is none. */
  contentLength = -1;
  /** Whether the connection may carry another message after this one. */
  shouldKeepAlive = true;
  /**
   * Whether the connection switches protocol after this message (a CONNECT request,
   * a request with `Connection: upgrade` and `Upgrade`, a 101 response, or a 2xx answer
   * to CONNECT). The parser stops at the first tunnelled byte.
   */
  upgrade = false;
  /** Whether a request carries `Expect: 100-continue`. */
  expectContinue = false;
  private urlText: string | null = null;
  private reasonText: string | null = null;

  constructor(isRequest: boolean, maxHeaders: number) {
    this.isRequest = isRequest;
    this.fields = new FieldsView(maxHeaders);
  }

  /** The bytes the offsets point into. */
  get buf(): Uint8Array {
    return this.fields.buf;
  }

  /** The request-target as a string (made once per message). */
  get url(): string {
    return (this.urlText ??= this.fields.text(this.urlStart, this.urlEnd));
  }

  /** The reason phrase as a string (made once per message). */
  get reason(): string {
    return (this.reasonText ??= this.fields.text(this.reasonStart, this.reasonEnd));
  }

  /** Whether the reason phrase reads exactly `text`, checked without making a string. */
  reasonIs(text: string): boolean {
    return this.reasonText !== null ? this.reasonText === text : this.fields.equals(this.reasonStart, this.reasonEnd, text);
  }

  /** Number of header fields. */
  get headerCount(): number {
    return this.fields.count;
  }

  /** The `[nameStart, nameEnd, valueStart, valueEnd]` offsets of each header field. */
  get headerOffsets(): Int32Array {
    return this.fields.offsets;
  }

  /** Name of header `i`. */
  headerName(i: number): string {
    return this.fields.name(i);
  }

  /** Value of header `i` (without surrounding whitespace). */
  headerValue(i: number): string {
    return this.fields.value(i);
  }

  /** The first value of header `name` (any case), or `undefined`. */
  getHeader(name: string): string | undefined {
    return this.fields.get(name);
  }

  /**
   * Every header as one flat array `[name0, value0, name1, value1, ...]` (original case,
   * wire order), like Node's `rawHeaders`. Pass `out` to reuse one array across messages.
   */
  headerStrings(out?: string[]): string[] {
    return this.fields.strings(out);
  }

  /**
   * Forgets the strings cached for the previous message. The parser calls it when a new
   * head starts; call it yourself only if you change the offsets by hand.
   */
  resetStrings(): void {
    this.urlText = null;
    this.reasonText = null;
  }
}
