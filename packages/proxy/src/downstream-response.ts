import type { ZpError } from "@zp/error";
import type { HeaderMap, ResponseHeader } from "@zp/http";

/**
 * The downstream side of a session as the proxy writes it: an `@zp/http-server`
 * `HttpResponse`, or a {@link RawResponse} on the socket of an upgrade request.
 */
export interface DownstreamResponse {
  /** Whether the head has been written to the socket. */
  readonly headersSent: boolean;
  /** Whether the response was completed. */
  readonly finished: boolean;
  /** Whether the connection failed before the response was complete. */
  readonly aborted: boolean;
  /** Sets the head; it is sent with the first body write or `flushHeaders`. */
  writeHead(head: ResponseHeader): unknown;
  /** Sends the head now. */
  flushHeaders(): void;
  /** Sends body bytes; `false` when the socket buffer is full (wait for `onDrain`). */
  write(chunk: Uint8Array): boolean;
  /** Completes the response. */
  end(chunk?: Uint8Array): void;
  /** Trailer fields sent after a chunked body by `end`. */
  writeTrailers(trailers: HeaderMap): void;
  /** Sends `100 Continue`. */
  writeContinue(): void;
  /** Sends an interim 1xx head. */
  writeInformational(status: number, headers?: HeaderMap): void;
  /** The listener called when the socket drains after `write` returned false. */
  onDrain(listener: (() => void) | undefined): void;
  /** The listener called once when the response is over (with why it failed, if it did), with `receiver` as `this`. */
  onClose<T>(listener: ((this: T, err: ZpError | undefined) => void) | undefined, receiver?: T): void;
  /** Aborts the response: the client sees a cut-off message. */
  destroy(err?: unknown): void;
}
