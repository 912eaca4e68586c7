import { Buffer } from "node:buffer";
import { constants, createHash } from "node:crypto";
import type { SecureContextOptions } from "node:tls";
import { checkAlpnList } from "./alpn.js";
import { checkCertificateSource, sourceFiles } from "./certificate-source.js";
import type { WatchOptions } from "./file-watcher.js";
import type { TlsServerOptions } from "./server-options.js";
import { TicketKeyRing } from "./ticket-key-ring.js";
import { TlsConfigError } from "./tls-config-error.js";

const DEFAULT_ALPN = ["h2", "http/1.1"];
const HOUR_MS = 3_600_000;

/** {@link TlsServerOptions} checked, with defaults applied. */
export interface ResolvedServerOptions {
  /** createSecureContext options every context shares. */
  readonly base: SecureContextOptions;
  readonly alpn: string[] | undefined;
  /** Ticket keys; `undefined` with tickets off. */
  readonly ring: TicketKeyRing | undefined;
  /** Key rotation period in ms; 0 for none. */
  readonly rotateEveryMs: number;
  /** Session-ID cache settings; `undefined` when off. */
  readonly sessionCache: { maxEntries: number; ttlMs: number } | undefined;
  readonly handshakeTimeoutMs: number;
  /** What to watch and how; `undefined` when not watching. */
  readonly watch: { files: string[]; options: WatchOptions } | undefined;
}

/** Checks `options` (throwing `TlsConfigError`) and applies the defaults. */
export function resolveServerOptions(options: TlsServerOptions): ResolvedServerOptions {
  if (!Array.isArray(options.certificates) || options.certificates.length === 0) {
    throw new TlsConfigError("certificates needs at least one certificate");
  }
  options.certificates.forEach(checkCertificateSource);
  if (options.certificates.filter((c) => c.default === true).length > 1) {
    throw new TlsConfigError("only one certificate can be the default");
  }
  if (options.alpn !== undefined && options.alpn !== false) checkAlpnList(options.alpn, "alpn");
  const auth = options.clientAuth;
  if (auth !== undefined && (auth.ca === undefined) === (auth.caFile === undefined)) {
    throw new TlsConfigError("clientAuth needs exactly one of ca and caFile");
  }
  const sessionTimeoutSec = options.sessionTimeoutSec ?? 300;
  if (!Number.isInteger(sessionTimeoutSec) || sessionTimeoutSec <= 0) {
    throw new TlsConfigError(`sessionTimeoutSec must be a positive integer, got ${sessionTimeoutSec}`);
  }
  const sessionIdContext = options.sessionIdContext ?? defaultSessionIdContext(options);
  if (sessionIdContext.length === 0 || Buffer.byteLength(sessionIdContext) > 32) {
    throw new TlsConfigError("sessionIdContext must be 1 to 32 bytes");
  }
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  if (!(handshakeTimeoutMs > 0)) throw new TlsConfigError(`handshakeTimeoutMs must be positive, got ${handshakeTimeoutMs}`);

  const base: SecureContextOptions = {
    minVersion: options.minVersion ?? "TLSv1.2",
    honorCipherOrder: options.honorCipherOrder ?? true,
    sessionIdContext,
    sessionTimeout: sessionTimeoutSec,
  };
  if (options.maxVersion !== undefined) base.maxVersion = options.maxVersion;
  if (options.ciphers !== undefined) base.ciphers = options.ciphers;
  if (options.ecdhCurve !== undefined) base.ecdhCurve = options.ecdhCurve;

  const tickets = options.sessionTickets;
  let ring: TicketKeyRing | undefined;
  let rotateEveryMs = 0;
  if (tickets === false) {
    base.secureOptions = constants.SSL_OP_NO_TICKET;
  } else {
    const keep = tickets?.keep ?? 1;
    ring = new TicketKeyRing(tickets?.initialKey === undefined ? { keep } : { keep, initialKey: tickets.initialKey });
    rotateEveryMs = tickets?.rotateEveryMs ?? HOUR_MS;
    if (!(rotateEveryMs >= 0) || !Number.isFinite(rotateEveryMs)) {
      throw new TlsConfigError(`sessionTickets.rotateEveryMs must be a finite number >= 0, got ${rotateEveryMs}`);
    }
  }

  const cacheOptions = options.sessionCache;
  const sessionCache =
    cacheOptions === false
      ? undefined
      : { maxEntries: cacheOptions?.maxEntries ?? 20_000, ttlMs: cacheOptions?.ttlMs ?? sessionTimeoutSec * 1000 };

  let watch: ResolvedServerOptions["watch"];
  if (options.watch !== undefined && options.watch !== false) {
    const files = options.certificates.flatMap(sourceFiles);
    if (auth?.caFile !== undefined) files.push(auth.caFile);
    if (files.length > 0) watch = { files, options: options.watch === true ? {} : options.watch };
  }

  return {
    base,
    alpn: options.alpn === false ? undefined : (options.alpn ?? DEFAULT_ALPN),
    ring,
    rotateEveryMs,
    sessionCache,
    handshakeTimeoutMs,
    watch,
  };
}

/**
 * A session ID context derived from the configuration (certificate files or contents, names,
 * client authentication), so processes sharing a configuration and ticket keys resume each
 * other's sessions, and contexts configured differently never do. Stable across reloads.
 */
function defaultSessionIdContext(options: TlsServerOptions): string {
  const hash = createHash("sha256");
  for (const c of options.certificates) {
    hash.update(c.certFile ?? createHash("sha256").update(c.cert!).digest("hex")).update("\0");
    hash.update((c.names ?? []).join(",")).update("\0");
  }
  const auth = options.clientAuth;
  if (auth !== undefined) {
    hash.update(`client-auth:${auth.required ?? true}:`);
    if (auth.caFile !== undefined) hash.update(auth.caFile);
    for (const pem of [auth.ca ?? []].flat()) hash.update(pem);
  }
  return hash.digest("hex").slice(0, 32);
}
