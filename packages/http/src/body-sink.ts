import type { ZpError } from "@zp/error";
import type { HeaderMap } from "./header-map.js";

/**
 * Receives a message body as it is read, the push side of body streaming shared by the
 * HTTP/1.1 server (request bodies) and client (response bodies).
 *
 * `onData` chunks are views of the connection's read buffers, valid until `onData` returns:
 * copy a chunk to keep it longer. Exactly one of `onEnd` or `onError` ends the body.
 */
export interface BodySink {
  /** A piece of the body. */
  onData(chunk: Buffer): void;
  /** The body ended; `trailers` are the chunked trailer fields, if any. */
  onEnd(trailers: HeaderMap | undefined): void;
  /** Reading the body failed. */
  onError(err: ZpError): void;
}

/** A body source the {@link BodyIterator} can attach to and pause. */
export interface PausableBody {
  setBodySink(sink: BodySink): void;
  pause(): void;
  resume(): void;
}
