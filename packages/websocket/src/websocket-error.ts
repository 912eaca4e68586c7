/** Stable codes of {@link WebSocketError}. */
export type WebSocketErrorCode =
  | "ZP_WS_PROTOCOL_ERROR"
  | "ZP_WS_INVALID_UTF8"
  | "ZP_WS_MESSAGE_TOO_BIG"
  | "ZP_WS_INVALID_CLOSE_CODE"
  | "ZP_WS_HANDSHAKE_FAILED"
  | "ZP_WS_NOT_OPEN"
  | "ZP_WS_CLOSED"
  | "ZP_WS_DEFLATE_ERROR"
  | "ZP_WS_INVALID_ARGUMENT";

/**
 * An error of the WebSocket layer. `closeCode` is the close code the connection is
 * (or would be) closed with when the error comes from the peer's bytes.
 */
export class WebSocketError extends Error {
  /** Stable code, safe to match on. */
  readonly code: WebSocketErrorCode;
  /** The close code sent to the peer because of this error (0 when none applies). */
  readonly closeCode: number;

  constructor(code: WebSocketErrorCode, message: string, closeCode = 0, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.closeCode = closeCode;
  }

  override get name(): string {
    return "WebSocketError";
  }
}
