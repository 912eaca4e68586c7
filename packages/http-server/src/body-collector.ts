import { Buffer } from "node:buffer";
import { ErrorType, ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import type { BodySink } from "./body-sink.js";

/**
 * Collects a whole body into one Buffer (one copy, at the end). Past `limit` bytes it
 * rejects with `HTTPStatus(413)` and drops the rest.
 */
export class BodyCollector implements BodySink {
  private readonly pieces: Buffer[] = [];
  private total = 0;
  private done = false;
  private readonly limit: number;
  private readonly resolve: (body: Buffer) => void;
  private readonly reject: (err: unknown) => void;

  constructor(limit: number, resolve: (body: Buffer) => void, reject: (err: unknown) => void) {
    this.limit = limit;
    this.resolve = resolve;
    this.reject = reject;
  }

  onData(chunk: Buffer): void {
    if (this.done) return;
    this.total += chunk.length;
    if (this.total > this.limit) {
      this.done = true;
      this.pieces.length = 0;
      this.reject(
        new ZpError(ErrorType.HTTPStatus(413), { context: `request body larger than ${this.limit} bytes`, source: "Downstream" }),
      );
      return;
    }
    this.pieces.push(chunk);
  }

  onEnd(_trailers: HeaderMap | undefined): void {
    if (this.done) return;
    this.done = true;
    this.resolve(Buffer.concat(this.pieces, this.total));
  }

  onError(err: ZpError): void {
    if (this.done) return;
    this.done = true;
    this.reject(err);
  }
}
