// Server side: certificates by SNI, hot reload, ALPN, resumption, client certificates.
export { createTlsServerContext, TlsServerContext, type AcceptOptions, type TlsServerContextEvents } from "./server-context.js";
export type { TlsServerOptions, ClientAuthOptions, SessionTicketOptions, SessionCacheOptions } from "./server-options.js";
export type { CertificateSource, PemInput } from "./certificate-source.js";
export type { CertificateInfo } from "./context-snapshot.js";
export type { WatchOptions } from "./file-watcher.js";
export { CertificateStore } from "./certificate-store.js";
export { certificateFacts, type CertificateFacts } from "./certificate-names.js";
export { TicketKeyRing, TICKET_KEY_BYTES, type TicketKeyRingOptions } from "./ticket-key-ring.js";
export { ServerSessionCache, type ServerSessionCacheOptions } from "./server-session-cache.js";
export { scanClientHello, type ClientHelloScan } from "./client-hello.js";
export { authorizeClient, verifiedPeerCertificate } from "./client-authorization.js";

// Client side: upstream connections.
export { createTlsClientOptions, type TlsPeer } from "./client-options.js";
export { connectTls, type ConnectTlsOptions } from "./connect-tls.js";
export { TlsSessionCache, defaultSessionCache, type TlsSessionCacheOptions, type CachedTlsSession } from "./client-session-cache.js";

// Shared.
export { tlsError, isCertificateError, type TlsPhase, type TlsSide } from "./tls-error.js";
export { TlsConfigError } from "./tls-config-error.js";
export { isIpLiteral, normalizeHostname } from "./hostname.js";
