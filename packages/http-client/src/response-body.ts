import { Buffer } from "node:buffer";
import type { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import type { AbortBinding } from "./abort-binding.js";
import type { BodySink } from "./body-sink.js";
import type { ClientConnection } from "./client-connection.js";
import { misuseError } from "./client-errors.js";

const EMPTY = Buffer.alloc(0);

async function* iterate(pieces: Buffer[]): AsyncGenerator<Buffer> {
  yield* pieces;
}

function utf8(buf: Buffer): string {
  return buf.toString("utf8");
}

function parseJson(buf: Buffer): unknown {
  return JSON.parse(buf.toString("utf8"));
}

function join(pieces: Buffer[]): Buffer {
  if (pieces.length === 0) return EMPTY;
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}

/**
 * The body of a {@link ClientResponse}: an async iterable of Buffers, or read whole with
 * {@link text}, {@link json}, {@link bytes}, {@link arrayBuffer}; {@link dump} discards it.
 * It can be consumed once.
 *
 * A response that had fully arrived with its head (small bodies, HEAD, 204, 304) has already
 * given its connection back to the pool and holds its bytes. Otherwise the body streams from
 * the connection: consuming it to the end releases the connection, {@link cancel} (or
 * stopping an iteration early) closes it, and a body never consumed holds its connection, so
 * always consume, dump or cancel a streamed body.
 */
export class ResponseBody implements AsyncIterable<Buffer>, BodySink {
  private readonly conn: ClientConnection | undefined;
  private readonly abort: AbortBinding | undefined;
  private buffered: Buffer[] | undefined;
  private used = false;
  private chunks: Buffer[] | undefined = undefined;
  private first: Buffer = EMPTY;
  private length = 0;
  private keep = true;
  private resolveAll: ((body: Buffer) => void) | undefined = undefined;
  private rejectAll: ((err: unknown) => void) | undefined = undefined;
  /** The trailer fields of a chunked response, once the body was read to its end. */
  trailers: HeaderMap | undefined = undefined;

  /**
   * @internal Either streams from `conn`, or holds the `buffered` pieces of a complete
   * response (whose connection was released already) and its `trailers`.
   */
  constructor(conn: ClientConnection | undefined, abort: AbortBinding | undefined, buffered?: Buffer[], trailers?: HeaderMap) {
    this.conn = conn;
    this.abort = abort;
    this.buffered = buffered;
    this.trailers = trailers;
  }

  /** Whether the body has been (or is being) consumed. */
  get bodyUsed(): boolean {
    return this.used;
  }

  /** Whether the whole body is already in memory (its connection went back to the pool). */
  get complete(): boolean {
    return this.buffered !== undefined;
  }

  /** The whole body in one Buffer. */
  bytes(): Promise<Buffer> {
    return this.collect(true);
  }

  /** The whole body decoded as UTF-8. */
  text(): Promise<string> {
    return this.collect(true).then(utf8);
  }

  /** The whole body parsed as JSON. */
  json<T = unknown>(): Promise<T> {
    return this.collect(true).then(parseJson) as Promise<T>;
  }

  /** The whole body as an ArrayBuffer (a copy of exactly its bytes). */
  async arrayBuffer(): Promise<ArrayBuffer> {
    const buf = await this.collect(true);
    const out = new ArrayBuffer(buf.length);
    new Uint8Array(out).set(buf);
    return out;
  }

  /** Reads the body to its end and drops it, so the connection can be reused. */
  async dump(): Promise<void> {
    await this.collect(false);
  }

  /** Gives up on the body: a streaming connection is closed. */
  cancel(): void {
    this.used = true;
    this.buffered = undefined;
    this.settled();
    this.conn?.destroy();
  }

  /** Iterates the body; a streaming connection is released at its end and closed if the loop stops early. */
  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    this.take();
    const buffered = this.buffered;
    if (buffered !== undefined) {
      this.buffered = undefined;
      return iterate(buffered);
    }
    return this.stream(this.conn!);
  }

  private stream(conn: ClientConnection): AsyncIterator<Buffer> {
    const it = conn.body(true);
    const body = this;
    // Expose the trailers once the iteration ends; stop watching the abort signal then.
    return {
      async next(): Promise<IteratorResult<Buffer>> {
        let r: IteratorResult<Buffer>;
        try {
          r = await it.next();
        } catch (err) {
          body.settled();
          throw body.abortReason(err);
        }
        if (r.done === true) {
          body.trailers = it.trailers;
          body.settled();
        }
        return r;
      },
      return(): Promise<IteratorResult<Buffer>> {
        body.settled();
        return it.return();
      },
    };
  }

  private settled(): void {
    this.abort?.unbind();
  }

  private abortReason(err: unknown): unknown {
    const signal = this.abort?.signal;
    return signal?.aborted === true ? signal.reason : err;
  }

  private take(): void {
    if (this.used) throw misuseError("the response body was already consumed");
    this.used = true;
  }

  private collect(keep: boolean): Promise<Buffer> {
    try {
      this.take();
    } catch (err) {
      return Promise.reject(err);
    }
    const buffered = this.buffered;
    if (buffered !== undefined) {
      this.buffered = undefined;
      return Promise.resolve(keep ? join(buffered) : EMPTY);
    }
    this.keep = keep;
    return new Promise<Buffer>((resolve, reject) => {
      this.resolveAll = resolve;
      this.rejectAll = reject;
      this.conn!.setBodySink(this);
    });
  }

  /** @internal */
  onData(chunk: Buffer): void {
    if (!this.keep) return;
    if (this.length === 0) this.first = chunk;
    else (this.chunks ??= [this.first]).push(chunk);
    this.length += chunk.length;
  }

  /** @internal */
  onEnd(trailers: HeaderMap | undefined): void {
    this.trailers = trailers;
    this.settled();
    this.conn!.release();
    const body = this.chunks === undefined ? this.first : Buffer.concat(this.chunks, this.length);
    this.chunks = undefined;
    this.first = EMPTY;
    this.resolveAll!(body);
  }

  /** @internal */
  onError(err: ZpError): void {
    this.chunks = undefined;
    this.first = EMPTY;
    this.settled();
    this.conn!.release();
    this.rejectAll!(this.abortReason(err));
  }
}
