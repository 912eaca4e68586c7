import type { ZpError } from "@zp/error";
import type { HeaderMap } from "@zp/http";

/**
 * Receives a request body as it arrives: the push API a proxy streams with.
 *
 * `chunk` is a view of the connection's read buffer (no copy). It is valid until
 * `onData` returns: copy it (`Buffer.from(chunk)`) to keep it longer. Calls arrive in
 * order and never after `onEnd` or `onError`; exactly one of those two ends the body.
 */
export interface BodySink {
  /** A piece of body (never empty). Call `req.pause()` here to stop the flow. */
  onData(chunk: Buffer): void;
  /** The body is complete; `trailers` holds the trailer fields of a chunked body, if any. */
  onEnd(trailers: HeaderMap | undefined): void;
  /**
   * The body cannot complete: the client went away, sent invalid framing, was too slow
   * (`ReadTimeout`) or exceeded `maxBodySize` (`HTTPStatus(413)`).
   */
  onError(err: ZpError): void;
}
