import { Buffer } from "node:buffer";
import type { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";
import type { BodySink } from "./body-sink.js";

/** The queue of a delivery holding nothing: shared, never written to. */
const NO_PIECES: Buffer[] = [];

/** What a {@link BodyDelivery} needs to know from its connection. */
export interface DeliveryHost {
  /** The response has been read to its end. */
  readonly bodyComplete: boolean;
  /** The response body is still arriving. */
  readonly bodyStreaming: boolean;
  /** The error that ended the exchange, if any. */
  readonly failure: ZpError | undefined;
  /** The trailer fields of the response. */
  readonly trailers: HeaderMap | undefined;
  /** Stop reading the socket: too much is held for a consumer that does not read. */
  pauseReading(): void;
  /** Read the socket again. */
  resumeReading(): void;
}

/** Body bytes held for a consumer that is not reading before the socket is paused. */
const HIGH_WATER = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * Hands the response body to its consumer: straight through while a sink is attached and not
 * paused, else through a queue (which pauses the socket past 64 KiB), then the end or the error.
 */
export class BodyDelivery {
  private readonly host: DeliveryHost;
  private sink: BodySink | undefined = undefined;
  /** Pieces held (NO_PIECES, never written to, until the first: most bodies come in one piece). */
  private queue: Buffer[] = NO_PIECES;
  private head = 0;
  private queued = 0;
  private paused = false;
  private ended = false;
  private delivering = false;

  constructor(host: DeliveryHost) {
    this.host = host;
  }

  /** Whether a consumer is attached. */
  get hasSink(): boolean {
    return this.sink !== undefined;
  }

  /** Whether the consumer paused the flow. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Whether the end (or an error) has been handed over. */
  get finished(): boolean {
    return this.ended;
  }

  /** Attaches the consumer and delivers what is held. */
  attach(sink: BodySink): void {
    this.sink = sink;
    this.flush();
  }

  /** A piece of body from the parser. */
  push(chunk: Buffer): void {
    const sink = this.sink;
    if (sink !== undefined && !this.paused && this.head === this.queue.length && !this.delivering) {
      sink.onData(chunk);
      return;
    }
    if (this.queue === NO_PIECES) this.queue = [chunk];
    else this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued > HIGH_WATER) this.host.pauseReading();
  }

  /** The consumer stops the flow. */
  pause(): void {
    this.paused = true;
  }

  /** The consumer resumes the flow. */
  resume(): void {
    this.paused = false;
    this.flush();
  }

  /** The exchange failed: the consumer, if any, gets `err` now (held bytes are dropped). */
  fail(err: ZpError): void {
    const sink = this.sink;
    if (sink === undefined || this.ended) return;
    this.ended = true;
    this.drop();
    sink.onError(err);
  }

  /** Takes every held piece and marks the body delivered (for a response read completely). */
  takeAll(): Buffer[] {
    const queue = this.queue;
    const pieces = queue === NO_PIECES ? [] : this.head === 0 ? queue : queue.slice(this.head);
    this.queue = NO_PIECES;
    this.head = this.queued = 0;
    this.ended = true;
    return pieces;
  }

  /** Ready for the next response. */
  reset(): void {
    this.sink = undefined;
    this.drop();
    this.paused = false;
    this.ended = false;
    this.delivering = false;
  }

  /** Delivers held pieces and then the end (or the error), as far as pausing allows. */
  flush(): void {
    const sink = this.sink;
    if (sink === undefined || this.delivering) return;
    this.delivering = true;
    const queue = this.queue;
    while (this.head < queue.length && !this.paused && this.sink === sink && this.host.failure === undefined) {
      const chunk = queue[this.head]!;
      queue[this.head++] = EMPTY;
      this.queued -= chunk.length;
      sink.onData(chunk);
    }
    this.delivering = false;
    if (this.sink !== sink) return;
    if (this.head === queue.length && this.head > 0) {
      queue.length = 0;
      this.head = 0;
    }
    if (this.paused || this.ended) return;
    const host = this.host;
    if (host.failure !== undefined) {
      this.ended = true;
      this.drop();
      sink.onError(host.failure);
    } else if (host.bodyComplete) {
      if (this.head === this.queue.length) {
        this.ended = true;
        sink.onEnd(host.trailers);
      }
    } else if (host.bodyStreaming) {
      host.resumeReading();
    }
  }

  private drop(): void {
    this.queue = NO_PIECES;
    this.head = this.queued = 0;
  }
}
