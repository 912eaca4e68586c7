/**
 * Thrown synchronously for options that can never work (no certificate, a malformed ALPN
 * list, a ticket key of the wrong size...). Match on `code`, which is stable:
 * `"ZP_TLS_CONFIG"`. Problems with certificate material itself (unreadable file, bad PEM,
 * key mismatch) are reported as a `ZpError` instead, because they also happen on reload.
 */
export class TlsConfigError extends Error {
  /** Stable machine-readable code. */
  readonly code = "ZP_TLS_CONFIG" as const;

  constructor(message: string) {
    super(message);
    this.name = "TlsConfigError";
  }
}
