/** Stable codes of {@link PingoraError}. */
export type PingoraErrorCode =
  /** The command line cannot be understood. */
  | "ZP_CLI_USAGE"
  /** A validated configuration could not be turned into a running proxy (bad certificate, ...). */
  | "ZP_PROXY_SETUP";

/**
 * An error of the `zp` command or of building a proxy from its configuration. `code` is
 * stable; the message says what to fix.
 */
export class PingoraError extends Error {
  /** Stable machine-readable code. */
  readonly code: PingoraErrorCode;

  constructor(code: PingoraErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }

  override get name(): string {
    return "PingoraError";
  }
}
