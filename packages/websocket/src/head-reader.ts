import { Buffer } from "node:buffer";
import { H1Parser, type H1Head, type H1Mode } from "@zp/h1-parser";

/** An HTTP/1.1 head read off a socket before the switch to WebSocket frames. */
export interface ReadHead {
  method: string;
  url: string;
  status: number;
  versionMajor: number;
  versionMinor: number;
  /** Header fields in wire order, names as sent. */
  headers: Array<[string, string]>;
  /** Bytes after the head (the first WebSocket frames, if the peer sent them early). */
  rest: Buffer;
}

/**
 * Reads one request or response head from raw bytes with @zp/h1-parser (strict RFC 9112),
 * within a byte limit. Returns undefined until the head is complete.
 */
export class HeadReader {
  private readonly parser: H1Parser;
  private head: Omit<ReadHead, "rest"> | undefined;

  constructor(mode: H1Mode, maxHeaderBytes: number) {
    this.parser = new H1Parser(
      mode,
      {
        onHeaders: (h: H1Head) => {
          if (this.head === undefined) {
            this.head = {
              method: h.method,
              url: h.isRequest ? h.url : "",
              status: h.status,
              versionMajor: h.versionMajor,
              versionMinor: h.versionMinor,
              headers: h.fields.toArray(),
            };
          }
          return true; // a handshake has no body
        },
      },
      { maxHeaderBytes },
    );
  }

  /**
   * Feeds bytes. Returns the head once complete; throws the parser's `ParseError` on a
   * malformed head.
   */
  push(chunk: Buffer): ReadHead | undefined {
    let consumed: number;
    try {
      consumed = this.parser.execute(chunk, 0, chunk.length);
    } catch (err) {
      // Bytes after a complete head that is not an upgrade are not ours to judge.
      if (this.head === undefined) throw err;
      consumed = chunk.length;
    }
    if (this.head === undefined) return undefined;
    return { ...this.head, rest: this.parser.isUpgraded ? chunk.subarray(consumed) : Buffer.alloc(0) };
  }
}
