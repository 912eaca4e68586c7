import type { Buffer } from "node:buffer";
import type { HeaderMap } from "@zp/http";
import type { BodySink } from "@zp/http-client";

/** Something a consumer can pause and resume: an upstream connection, or a {@link PieceFeeder}. */
export interface FlowSource {
  pause(): void;
  resume(): void;
}

/**
 * Plays a body that is already complete (the pieces of a response read whole with its
 * head) into a sink, honouring pause and resume, so filters that return promises see the
 * same sequence as with a streaming body.
 */
export class PieceFeeder implements FlowSource {
  private readonly pieces: Buffer[];
  private readonly trailers: HeaderMap | undefined;
  private readonly sink: BodySink;
  private next = 0;
  private paused = true;
  private running = false;
  private ended = false;

  constructor(pieces: Buffer[], trailers: HeaderMap | undefined, sink: BodySink) {
    this.pieces = pieces;
    this.trailers = trailers;
    this.sink = sink;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    if (this.running) return; // the loop below picks it up
    this.running = true;
    const pieces = this.pieces;
    while (!this.paused && this.next < pieces.length) this.sink.onData(pieces[this.next++]!);
    if (!this.paused && !this.ended && this.next === pieces.length) {
      this.ended = true;
      this.sink.onEnd(this.trailers);
    }
    this.running = false;
  }
}
