import type { Readable } from "node:stream";
import type { HeaderInit, HeaderMap } from "@zp/http";
import type { ConnectorOptions } from "./connector.js";
import type { ClientCertificate, Pem, Peer } from "./peer.js";

/** A request body: bytes, text, or a stream (sent chunked unless a Content-Length header is given). */
export type RequestBody = Buffer | Uint8Array | string | AsyncIterable<Uint8Array | string> | Readable;

/** One request of {@link HttpClient.request}. */
export interface RequestOptions {
  /** The absolute URL (`http://host:port/path?query`, or `https://`). Or give `origin` and `path`. */
  url?: string | URL;
  /** Scheme, host and port (`http://127.0.0.1:8080`), with `path`. */
  origin?: string | URL;
  /** The request target in origin-form (default `/`). */
  path?: string;
  /** An upstream of your own instead of `url`/`origin` (the `Host` header is then its SNI or address). */
  peer?: Peer;
  /** The method (default `GET`). */
  method?: string;
  /** Request header fields (validated). `Host` is added from the URL unless given. */
  headers?: HeaderInit | HeaderMap;
  /** The body. Buffers and strings get a Content-Length and may be replayed on a retry; streams may not. */
  body?: RequestBody;
  /**
   * Whether the request may be sent again on a fresh connection when a reused one turns out
   * dead before any response byte (default: the method is idempotent, RFC 9110 §9.2.2).
   */
  idempotent?: boolean;
  /** Aborts the request; the promise (or the body read) rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** TLS settings applied to every `https:` origin of a client. */
export interface ClientTlsOptions {
  /** Trusted CA certificates (default: Node's root store). */
  ca?: Pem | Pem[];
  /** Verify the certificate chain (default `true`). */
  verifyCert?: boolean;
  /** Verify the certificate names the host (default `true`). */
  verifyHostname?: boolean;
  /** A client certificate for mutual TLS. */
  clientCert?: ClientCertificate;
}

/** Options of an {@link HttpClient}: the {@link ConnectorOptions} plus these. */
export interface HttpClientOptions extends ConnectorOptions {
  /** TLS settings for `https:` origins. */
  tls?: ClientTlsOptions;
  /** How long to wait for `100 Continue` before sending the body anyway (default 1000 ms). */
  continueTimeoutMs?: number;
}
