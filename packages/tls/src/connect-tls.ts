import type { X509Certificate } from "node:crypto";
import type { Duplex } from "node:stream";
import { connect, type TLSSocket } from "node:tls";
import { awaitHandshake, handshakeTimeoutError } from "./await-handshake.js";
import { rememberPeerCertificate, verifiedPeerCertificate } from "./client-authorization.js";
import { resolvePeer, type TlsPeer } from "./client-options.js";
import { tlsError } from "./tls-error.js";

/** Options of {@link connectTls}: the peer plus how to connect. */
export interface ConnectTlsOptions extends TlsPeer {
  /** Time allowed for TCP connect and handshake together, in ms (default 10 000). */
  timeoutMs?: number;
  /** An already open transport (e.g. a pooled TCP socket or a CONNECT tunnel) to run TLS over. */
  socket?: Duplex;
  /** Aborts connecting; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Opens a TLS connection to an upstream and resolves once the handshake is done and the
 * certificate verified. Sessions the upstream hands out are kept in the peer's session cache
 * and offered on the next connection (`socket.isSessionReused()` tells whether it worked); a
 * failed handshake drops the offered session.
 *
 * Rejects with an upstream ZpError: `ConnectRefused`/`ConnectTimeout`/`ConnectNoRoute`/
 * `ConnectError` (retryable) while connecting, `InvalidCert` for an untrusted or mismatching
 * certificate, `TLSHandshakeFailure`/`TLSHandshakeTimeout` during the handshake.
 *
 * @example
 * ```ts
 * const socket = await connectTls({ host: "api.example.com", port: 443, alpn: ["http/1.1"] });
 * socket.write("GET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
 * ```
 */
export async function connectTls(options: ConnectTlsOptions): Promise<TLSSocket> {
  const peer = resolvePeer(options);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const where = `connecting to ${peer.options.host}:${peer.options.port}`;
  const connectOptions = options.socket === undefined ? peer.options : { ...peer.options, socket: options.socket };
  if (options.signal?.aborted) throw options.signal.reason;

  let socket: TLSSocket;
  try {
    socket = connect(connectOptions);
  } catch (err) {
    // Unusable options (bad CA or client key PEM) throw before any I/O.
    throw tlsError(err, "upstream", "handshake", where);
  }
  let tcpUp = options.socket !== undefined && !(options.socket as { connecting?: boolean }).connecting;
  socket.once("connect", () => (tcpUp = true));
  const { cache, sessionKey, cached } = peer;
  // Sessions are only kept from verified connections: a resumed handshake skips the hostname
  // check, so a session from a rejected upstream must never be offered again. TLS 1.2 hands
  // its session out before the certificate is checked; hold it until then.
  let verified = false;
  let early: Buffer | undefined;
  let certificate: X509Certificate | undefined;
  const keep = (session: Buffer): void => cache?.set(sessionKey, session, certificate);
  if (cache !== undefined) socket.on("session", (session: Buffer) => (verified ? keep(session) : (early = session)));

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(tcpUp ? handshakeTimeoutError(timeoutMs) : connectTimeoutError(timeoutMs)), timeoutMs);
  const onUserAbort = (): void => deadline.abort(options.signal!.reason);
  options.signal?.addEventListener("abort", onUserAbort, { once: true });
  try {
    await awaitHandshake(socket, "secureConnect", deadline.signal);
    verified = true;
    if (socket.isSessionReused()) {
      // The certificate is not sent again on resumption: report the one verified first.
      certificate = cached?.certificate;
      if (certificate !== undefined) rememberPeerCertificate(socket, certificate);
    } else if (cache !== undefined) {
      certificate = verifiedPeerCertificate(socket);
    }
    if (early !== undefined) keep(early);
    return socket;
  } catch (err) {
    if (peer.options.session !== undefined) cache?.delete(sessionKey);
    if (options.signal?.aborted && err === options.signal.reason) throw err;
    throw tlsError(err, "upstream", tcpUp ? "handshake" : "connect", where);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onUserAbort);
  }
}

function connectTimeoutError(ms: number): Error & { code: string } {
  return Object.assign(new Error(`TCP connect did not finish within ${ms} ms`), { code: "ETIMEDOUT" });
}
