import { ErrorType, RetryType, ZpError, fromSystemError } from "@zp/error";

/** Where a TLS connection failed. */
export type TlsPhase = "connect" | "handshake";

/** Which end of the proxy the connection faces. */
export type TlsSide = "upstream" | "downstream";

/**
 * Certificate verification failures as Node reports them (OpenSSL's X509_V_ERR_* names,
 * plus Node's own hostname check). They all mean the peer's certificate is not acceptable.
 */
const verifyCodes = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_TLS_CERT_ALTNAME_FORMAT",
]);

/** Codes meaning the peer went away before the handshake finished. */
const closedCodes = new Set(["ECONNRESET", "EPIPE", "ERR_STREAM_PREMATURE_CLOSE", "ERR_SOCKET_CLOSED"]);

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : "";
}

/**
 * Whether `err` (a Node error or its `code`) is a certificate verification failure:
 * an untrusted, expired or self-signed chain, or a name that does not match.
 */
export function isCertificateError(err: unknown): boolean {
  const code = typeof err === "string" ? err : codeOf(err);
  return verifyCodes.has(code);
}

/**
 * Turns an error from a TLS connection into a ZpError:
 * - certificate verification failures → `InvalidCert`;
 * - `ERR_SSL_*` (alerts, protocol version, no shared cipher...) and a peer closing during the
 *   handshake → `TLSHandshakeFailure`;
 * - Node's handshake timeout → `TLSHandshakeTimeout`;
 * - anything else through `fromSystemError` (`ECONNREFUSED` → `ConnectRefused`...).
 *
 * The source is set from `side`. Errors while opening the TCP connection are marked
 * retryable (nothing was sent yet); handshake and certificate failures are not.
 */
export function tlsError(err: unknown, side: TlsSide, phase: TlsPhase, context?: string): ZpError {
  const out = err instanceof ZpError ? (context === undefined ? err : err.moreContext(context)) : classify(err, phase, context);
  if (side === "upstream") out.asUpstream();
  else out.asDownstream();
  return out;
}

function classify(err: unknown, phase: TlsPhase, context: string | undefined): ZpError {
  const code = codeOf(err);
  const options = context === undefined ? { cause: err } : { cause: err, context };
  if (verifyCodes.has(code)) return new ZpError(ErrorType.InvalidCert, options);
  if (code === "ERR_TLS_HANDSHAKE_TIMEOUT") return new ZpError(ErrorType.TLSHandshakeTimeout, options);
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) return new ZpError(ErrorType.TLSHandshakeFailure, options);
  if (phase === "handshake" && (closedCodes.has(code) || code === "")) {
    return new ZpError(ErrorType.TLSHandshakeFailure, options);
  }
  const mapped = fromSystemError(err, "connect", context);
  if (phase === "connect") mapped.withRetry(RetryType.Decided(true));
  return mapped;
}
