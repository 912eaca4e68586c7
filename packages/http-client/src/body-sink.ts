import type { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";

/**
 * Receives a response body as it arrives: the push API the proxy streams with.
 *
 * Calls arrive in order; exactly one of `onEnd` and `onError` ends the body, and nothing
 * follows it. `chunk` is a view of a buffer the connection read from the socket; it is not
 * reused by the connection, so it may be kept. Call `conn.pause()` inside `onData` to stop
 * the flow (bytes already read are held back until `conn.resume()`).
 */
export interface BodySink {
  /** A piece of body (never empty). */
  onData(chunk: Buffer): void;
  /** The body is complete; `trailers` holds the trailer fields of a chunked body, if any. */
  onEnd(trailers: HeaderMap | undefined): void;
  /** The body cannot complete (connection closed or reset, timeout, malformed framing, size limit). */
  onError(err: ZpError): void;
}
