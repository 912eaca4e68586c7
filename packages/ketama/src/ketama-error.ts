/** Stable codes of {@link KetamaError}. */
export type KetamaErrorCode = "ZP_KETAMA_INVALID_BUCKET" | "ZP_KETAMA_INVALID_ADDRESS" | "ZP_KETAMA_TOO_LARGE";

/** Raised when a ring cannot be built from the given buckets or an address cannot be parsed. */
export class KetamaError extends Error {
  /** Stable machine-readable code. */
  readonly code: KetamaErrorCode;

  /**
   * @param code Stable code of the failure.
   * @param message Human-readable description.
   */
  constructor(code: KetamaErrorCode, message: string) {
    super(message);
    this.name = "KetamaError";
    this.code = code;
  }
}
