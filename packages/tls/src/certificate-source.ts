import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { ErrorType, ZpError } from "@zp/error";
import { certificateFacts, type CertificateFacts } from "./certificate-names.js";
import { TlsConfigError } from "./tls-config-error.js";

/** PEM text, as a string or the bytes of a file. */
export type PemInput = string | Buffer;

/**
 * One server certificate: the PEM chain (leaf first, then intermediates) and its private key,
 * given inline or as files. Files are re-read on reload and can be watched.
 */
export interface CertificateSource {
  /** Certificate chain PEM (leaf first). Either this or `certFile`. */
  cert?: PemInput;
  /** Private key PEM. Either this or `keyFile`. */
  key?: PemInput;
  /** Path of the certificate chain PEM. */
  certFile?: string;
  /** Path of the private key PEM. */
  keyFile?: string;
  /** Passphrase of an encrypted private key. */
  passphrase?: string;
  /**
   * Server names this certificate answers (`a.test`, `*.wild.test`). Default: the names in
   * the certificate itself (subject CN and subjectAltName DNS entries).
   */
  names?: string[];
  /** Use this certificate when SNI is absent or matches nothing. Default: the first certificate. */
  default?: boolean;
}

/** A certificate source with its PEM read and its leaf certificate parsed. */
export interface LoadedCertificate {
  readonly source: CertificateSource;
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly facts: CertificateFacts;
  /** The names it is selected by: `source.names` or those from the certificate. */
  readonly names: readonly string[];
}

/** Checks a source's shape once, at configuration time. */
export function checkCertificateSource(source: CertificateSource, index: number): void {
  const where = `certificates[${index}]`;
  if ((source.cert === undefined) === (source.certFile === undefined)) {
    throw new TlsConfigError(`${where} needs exactly one of cert and certFile`);
  }
  if ((source.key === undefined) === (source.keyFile === undefined)) {
    throw new TlsConfigError(`${where} needs exactly one of key and keyFile`);
  }
}

/** The files a source is read from (for watching). */
export function sourceFiles(source: CertificateSource): string[] {
  const files: string[] = [];
  if (source.certFile !== undefined) files.push(source.certFile);
  if (source.keyFile !== undefined) files.push(source.keyFile);
  return files;
}

/**
 * Reads a source's PEM (from memory or disk) and parses its leaf certificate.
 * Rejects with a ZpError: `FileReadError` for an unreadable file, `InvalidCert` for a
 * certificate that does not parse.
 */
export async function loadCertificate(source: CertificateSource): Promise<LoadedCertificate> {
  const cert = await readPem(source.cert, source.certFile, "certificate");
  const key = await readPem(source.key, source.keyFile, "private key");
  let facts: CertificateFacts;
  try {
    facts = certificateFacts(cert);
  } catch (err) {
    throw ZpError.because(ErrorType.InvalidCert, `parsing certificate ${describeSource(source)}`, err);
  }
  return { source, cert, key, facts, names: source.names ?? facts.names };
}

/** Reads PEM given inline or in a file; rejects with a `FileReadError` ZpError. */
export async function readPem(inline: PemInput | undefined, file: string | undefined, what: string): Promise<Buffer> {
  if (inline !== undefined) return typeof inline === "string" ? Buffer.from(inline) : inline;
  try {
    return await readFile(file!);
  } catch (err) {
    throw ZpError.because(ErrorType.FileReadError, `reading ${what} ${file}`, err);
  }
}

/** A short label for messages: the certificate and key files, or `(inline)`. */
export function describeSource(source: CertificateSource): string {
  const cert = source.certFile ?? "(inline)";
  return source.keyFile === undefined ? cert : `${cert} with key ${source.keyFile}`;
}
