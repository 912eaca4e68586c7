/** A command line the server does not understand. `code` is always `ZP_ARGS_INVALID`. */
export class ServerArgsError extends Error {
  /** Stable machine-readable code. */
  readonly code = "ZP_ARGS_INVALID";

  override get name(): string {
    return "ServerArgsError";
  }
}
