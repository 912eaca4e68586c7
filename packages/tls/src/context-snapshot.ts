import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { createSecureContext, type SecureContext, type SecureContextOptions } from "node:tls";
import { ErrorType, ZpError } from "@zp/error";
import { CertificateStore } from "./certificate-store.js";
import { describeSource, loadCertificate, readPem, type CertificateSource, type LoadedCertificate } from "./certificate-source.js";
import type { ClientAuthOptions } from "./server-options.js";

/** What a server context reports about each of its certificates. */
export interface CertificateInfo {
  /** Names it is selected by (`a.test`, `*.wild.test`). */
  readonly names: readonly string[];
  /** Subject as OpenSSL prints it (`CN=a.test`). */
  readonly subject: string;
  /** Serial number, upper-case hex. */
  readonly serialNumber: string;
  /** SHA-256 fingerprint, colon-separated upper-case hex. */
  readonly fingerprint256: string;
  /** End of validity. */
  readonly validTo: Date;
  /** Whether it answers when SNI is absent or unknown. */
  readonly isDefault: boolean;
  /** The certificate file, if it was read from one. */
  readonly certFile: string | undefined;
}

/** One consistent set of certificates and their SecureContexts; replaced whole on reload. */
export interface ContextSnapshot {
  /** SNI name → context; its default value is the default certificate's context. */
  readonly store: CertificateStore<SecureContext>;
  /** The certificate used without (matching) SNI. */
  readonly defaultCertificate: LoadedCertificate;
  /** The trusted client CAs (mutual TLS), if any. */
  readonly ca: readonly Buffer[] | undefined;
  /** Reported certificate facts, in configuration order. */
  readonly certificates: readonly CertificateInfo[];
  /** Digest of all material, to skip reloads that change nothing. */
  readonly digest: string;
}

/**
 * Builds a SecureContext per certificate and the SNI store over them. `base` carries the
 * settings every context shares (versions, ciphers, client CA, session ID context...).
 * Throws a ZpError (`InvalidCert`) naming the certificate when OpenSSL refuses it (bad PEM,
 * key not matching, wrong passphrase).
 */
export function buildSnapshot(loaded: readonly LoadedCertificate[], ca: readonly Buffer[] | undefined, base: SecureContextOptions): ContextSnapshot {
  const defaultIndex = Math.max(0, loaded.findIndex((c) => c.source.default === true));
  const contexts = loaded.map((c) => contextFor(c, ca, base));
  const store = new CertificateStore<SecureContext>(contexts[defaultIndex]!);
  loaded.forEach((c, i) => {
    for (const name of c.names) store.add(name, contexts[i]!);
  });
  const certificates = loaded.map(
    (c, i): CertificateInfo => ({
      names: c.names,
      subject: c.facts.subject,
      serialNumber: c.facts.serialNumber,
      fingerprint256: c.facts.fingerprint256,
      validTo: c.facts.validTo,
      isDefault: i === defaultIndex,
      certFile: c.source.certFile,
    }),
  );
  return { store, defaultCertificate: loaded[defaultIndex]!, ca, certificates, digest: materialDigest(loaded, ca) };
}

/** A SecureContext for one certificate with the shared settings (and optionally its own ticket key). */
export function contextFor(c: LoadedCertificate, ca: readonly Buffer[] | undefined, base: SecureContextOptions, ticketKeys?: Buffer): SecureContext {
  try {
    return createSecureContext(secureContextOptions(c, ca, base, ticketKeys));
  } catch (err) {
    throw ZpError.because(ErrorType.InvalidCert, `loading certificate ${describeSource(c.source)}`, err);
  }
}

/** The createSecureContext / tls.createServer options for one certificate. */
export function secureContextOptions(
  c: LoadedCertificate,
  ca: readonly Buffer[] | undefined,
  base: SecureContextOptions,
  ticketKeys?: Buffer,
): SecureContextOptions {
  const options: SecureContextOptions = { ...base, cert: c.cert, key: c.key };
  if (c.source.passphrase !== undefined) options.passphrase = c.source.passphrase;
  if (ca !== undefined) options.ca = [...ca];
  if (ticketKeys !== undefined) options.ticketKeys = ticketKeys;
  return options;
}

/** A digest of every certificate, key, name list and CA, in order. */
export function materialDigest(loaded: readonly LoadedCertificate[], ca: readonly Buffer[] | undefined): string {
  const hash = createHash("sha256");
  for (const c of loaded) {
    hash.update(c.cert).update("\0").update(c.key).update("\0").update(c.names.join(",")).update("\0");
  }
  for (const pem of ca ?? []) hash.update(pem).update("\0");
  return hash.digest("hex");
}

/**
 * Reads every certificate, key and client CA (from memory or disk) and builds a snapshot.
 * Rejects with a ZpError (`FileReadError`, `InvalidCert`).
 */
export async function loadSnapshot(
  sources: readonly CertificateSource[],
  clientAuth: ClientAuthOptions | undefined,
  base: SecureContextOptions,
): Promise<ContextSnapshot> {
  const loaded = await Promise.all(sources.map(loadCertificate));
  let ca: Buffer[] | undefined;
  if (clientAuth !== undefined) {
    const inline = clientAuth.ca;
    ca = Array.isArray(inline)
      ? inline.map((pem) => (typeof pem === "string" ? Buffer.from(pem) : pem))
      : [await readPem(inline, clientAuth.caFile, "client CA")];
  }
  return buildSnapshot(loaded, ca, base);
}
