import { ErrorType, ZpError } from "@zp/error";
import type { ClientConnection } from "./client-connection.js";
import type { RequestBody } from "./request-options.js";

/** Whether a body can be sent again on a retry: none, a Buffer or a string. */
export function isReplayable(body: RequestBody | undefined): body is Buffer | Uint8Array | string | undefined {
  return body === undefined || typeof body === "string" || body instanceof Uint8Array;
}

/**
 * Streams a body into the connection chunk by chunk, waiting for `drain` whenever the socket
 * asks (so memory stays bounded by one chunk plus the socket's buffer), then finishes it.
 * Stops early, leaving the request unfinished (the connection is then not reused), when the
 * upstream answered before the body was sent.
 */
export async function sendStreamBody(conn: ClientConnection, body: AsyncIterable<Uint8Array | string>): Promise<void> {
  const it = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<Uint8Array | string>;
      try {
        step = await it.next();
      } catch (err) {
        throw ZpError.because(ErrorType.InternalError, "reading the request body", err).asInternal().withRetry(false);
      }
      if (step.done === true) break;
      if (conn.hasResponseHead) return;
      if (!conn.writeBody(step.value)) await conn.waitDrain();
    }
  } catch (err) {
    try {
      await it.return?.();
    } catch {
      // The source failing to close changes nothing: the request failed already.
    }
    throw err;
  }
  if (!conn.hasResponseHead) conn.finishBody();
}

/** Writes a whole in-memory body after the head was written (with `Expect: 100-continue`). */
export function sendBufferBody(conn: ClientConnection, body: Buffer | Uint8Array | string): void {
  if (body.length > 0) conn.writeBody(body);
  conn.finishBody();
}
