import { X509Certificate } from "node:crypto";

/** The parts of a certificate the server context reports and selects by. */
export interface CertificateFacts {
  /** DNS names from the subject CN and the subjectAltName DNS entries, lower-cased, deduplicated. */
  names: string[];
  /** The subject, as OpenSSL prints it (`CN=a.test`). */
  subject: string;
  /** Serial number in upper-case hex. */
  serialNumber: string;
  /** SHA-256 fingerprint, colon-separated upper-case hex. */
  fingerprint256: string;
  /** End of validity. */
  validTo: Date;
}

/**
 * Reads the names and identity of the first (leaf) certificate of a PEM chain.
 * Throws when the PEM does not parse.
 */
export function certificateFacts(pem: string | Buffer): CertificateFacts {
  const cert = new X509Certificate(pem);
  const names = new Set<string>();
  const cn = commonName(cert.subject);
  if (cn !== undefined && looksLikeDnsName(cn)) names.add(cn.toLowerCase());
  for (const dns of subjectAltDnsNames(cert.subjectAltName)) names.add(dns.toLowerCase());
  return {
    names: [...names],
    subject: cert.subject.replace(/\n/g, ", "),
    serialNumber: cert.serialNumber.toUpperCase(),
    fingerprint256: cert.fingerprint256,
    validTo: new Date(cert.validTo),
  };
}

function commonName(subject: string): string | undefined {
  // Node prints the subject one attribute per line, e.g. "C=DE\nCN=a.test".
  for (const line of subject.split("\n")) {
    if (line.startsWith("CN=")) return line.slice(3);
  }
  return undefined;
}

function subjectAltDnsNames(san: string | undefined): string[] {
  if (san === undefined) return [];
  const out: string[] = [];
  for (const raw of san.split(", ")) {
    // Entries with unusual characters are printed JSON-quoted; DNS names never need it,
    // but unquote anyway so such a name is still recognised.
    const entry = raw.startsWith('"') ? safeJsonString(raw) : raw;
    if (entry?.startsWith("DNS:")) out.push(entry.slice(4));
  }
  return out;
}

function safeJsonString(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function looksLikeDnsName(value: string): boolean {
  return /^(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(value);
}
