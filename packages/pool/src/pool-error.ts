/** Stable codes of the errors this package raises. */
export type PoolErrorCode = "ZP_POOL_INVALID_OPTION" | "ZP_POOL_INVALID_PEER" | "ZP_POOL_ALREADY_IDLE";

/**
 * Raised for a bad option, a bad peer identity, or a connection put back while it is
 * already idle in the pool (a caller bug that would otherwise hand one connection to two
 * users). `code` is stable and safe to branch on; the message is for people.
 *
 * @example
 * ```ts
 * try {
 *   poolKey({ host: "127.0.0.1", port: 70000, tls: false });
 * } catch (e) {
 *   if (e instanceof PoolError && e.code === "ZP_POOL_INVALID_PEER") console.log(e.message);
 * }
 * ```
 */
export class PoolError extends Error {
  /** What was wrong, e.g. `ZP_POOL_INVALID_OPTION`. */
  readonly code: PoolErrorCode;

  constructor(code: PoolErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  override get name(): string {
    return "PoolError";
  }
}
