import { Buffer } from "node:buffer";
import type { HeaderMap } from "./header-map.js";
import { HttpError, HttpErrorType } from "./http-error.js";
import type { Version } from "./version.js";

/**
 * What request and response heads share: the version, the header fields, the field builders
 * and serialisation to HTTP/1 wire bytes (start line, fields, empty line) in one Buffer.
 */
export abstract class MessageHead {
  /** The version. */
  version: Version;
  /** The header fields. */
  readonly headers: HeaderMap;

  protected constructor(version: Version, headers: HeaderMap) {
    this.version = version;
    this.headers = headers;
  }

  /** Sets the version and returns this. */
  setVersion(version: Version): this {
    this.version = version;
    return this;
  }

  /** Sets `name` to the single `value` (see {@link HeaderMap.set}) and returns this. */
  insertHeader(name: string, value: string): this {
    this.headers.set(name, value);
    return this;
  }

  /** Adds a field after any with the same name and returns this. */
  appendHeader(name: string, value: string): this {
    this.headers.append(name, value);
    return this;
  }

  /** Removes every field named `name`; returns how many were removed. */
  removeHeader(name: string): number {
    return this.headers.remove(name);
  }

  /** The size of the head on the HTTP/1 wire, start line to the empty line. */
  encodedLength(): number {
    return this.startLineLength() + this.headers.encodedLength() + 2;
  }

  /** The head as HTTP/1.1 wire bytes in one freshly allocated Buffer. */
  toBuffer(): Buffer {
    const buf = Buffer.allocUnsafe(this.encodedLength());
    this.writeHead(buf, 0);
    return buf;
  }

  /**
   * Writes the head into `buf` at `offset` and returns the offset after it. Throws an
   * {@link HttpError} `ZP_BUFFER_TOO_SMALL` (writing nothing) when it does not fit.
   */
  writeInto(buf: Buffer, offset = 0): number {
    const needed = this.encodedLength();
    if (offset < 0 || offset + needed > buf.length) {
      throw new HttpError(HttpErrorType.BufferTooSmall, `${this.kind} head needs ${needed} bytes at offset ${offset}, buffer has ${buf.length}`);
    }
    return this.writeHead(buf, offset);
  }

  /** `"request"` or `"response"`, for messages. */
  protected abstract readonly kind: string;

  /** Bytes of the start line including its CRLF. */
  protected abstract startLineLength(): number;

  /** Writes the start line including its CRLF at `at`; returns the offset after it. */
  protected abstract writeStartLine(buf: Buffer, at: number): number;

  private writeHead(buf: Buffer, offset: number): number {
    let at = this.writeStartLine(buf, offset);
    at = this.headers.writeInto(buf, at);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    return at;
  }
}
