import type { H1Head } from "@zp/h1-parser";
import { HeaderMap, copyOut, readLatin1 } from "@zp/http";

/**
 * The bytes of a request head, kept until someone asks for strings: a handler that never
 * reads the target or a header pays for neither. The parser's view is valid only during
 * its callback, so the offsets are copied; the bytes are the socket's read chunk (which
 * is never reused) or, for a head that spanned reads, a copy of them.
 */
export class RawHead {
  private readonly buf: Uint8Array;
  private readonly offsets: number[];
  private readonly urlStart: number;
  private readonly urlEnd: number;

  private constructor(buf: Uint8Array, offsets: number[], urlStart: number, urlEnd: number) {
    this.buf = buf;
    this.offsets = offsets;
    this.urlStart = urlStart;
    this.urlEnd = urlEnd;
  }

  /**
   * Captures `head`; `chunk` is the read being parsed (the head may lie in it). With
   * `reusedRead`, the read's memory is reused for later reads, so the head's bytes are copied.
   */
  static capture(head: H1Head, chunk: Uint8Array, reusedRead: boolean): RawHead {
    const fields = head.fields;
    const n = fields.count * 4;
    const from = fields.offsets;
    // a plain array of small integers is cheaper to make than a typed array
    const offsets = new Array<number>(n);
    if (head.buf === chunk && !reusedRead) {
      for (let i = 0; i < n; i++) offsets[i] = from[i]!;
      return new RawHead(chunk, offsets, head.urlStart, head.urlEnd);
    }
    // The head spanned reads and lives in the parser's own (reused) buffer, or the read's
    // buffer is reused: copy it.
    const start = head.urlStart;
    // the last field's CRLF too, so that a field as received can be written by one copy
    const end = n > 0 ? Math.min(from[n - 1]! + 2, head.buf.length) : head.urlEnd;
    const copy = copyOut(head.buf, start, end);
    for (let i = 0; i < n; i++) offsets[i] = from[i]! - start;
    return new RawHead(copy, offsets, 0, head.urlEnd - start);
  }

  /** The request-target as a string. */
  url(): string {
    return readLatin1(this.buf, this.urlStart, this.urlEnd);
  }

  /**
   * The header fields as a new {@link HeaderMap} (names keep their case), held as the wire
   * bytes until someone asks for strings (`HeaderMap.fromWire`).
   */
  headers(): HeaderMap {
    return HeaderMap.fromWire(this.buf, this.offsets, this.offsets.length / 4);
  }
}
