import { X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";

/** The verification result Node keeps on a TLS socket's native handle. */
interface VerifyingHandle {
  verifyError?: () => (Error & { code?: string }) | null | undefined;
}

/**
 * Records whether a server-side socket's client certificate is trusted, the way `tls.Server`
 * does for the sockets it creates: sets `socket.authorized` and, when not,
 * `socket.authorizationError` (an OpenSSL code such as `DEPTH_ZERO_SELF_SIGNED_CERT`). Node
 * completes the handshake whatever the certificate and leaves this check to its server, so
 * a `TLSSocket` made over an accepted raw socket must run it once `'secure'` fired.
 * Returns `socket.authorized`. Fails closed when the result cannot be read.
 */
export function authorizeClient(socket: TLSSocket): boolean {
  const handle = (socket as unknown as { ssl?: VerifyingHandle | null }).ssl;
  let code: string | undefined;
  if (typeof handle?.verifyError === "function") {
    const error = handle.verifyError();
    if (error) code = error.code ?? error.message;
  } else {
    code = "ERR_TLS_VERIFY_UNAVAILABLE";
  }
  socket.authorized = code === undefined;
  // Node stores the code string here for its own server sockets; keep the same shape.
  if (code !== undefined) (socket as unknown as { authorizationError: string }).authorizationError = code;
  return socket.authorized;
}

/**
 * Verified peer certificates by socket: those of resumed upstream sessions (Node does not
 * return them) and those already parsed.
 */
const peers = new WeakMap<TLSSocket, X509Certificate>();

/** Records the verified certificate of a socket (e.g. the one a resumed session was established with). */
export function rememberPeerCertificate(socket: TLSSocket, certificate: X509Certificate): void {
  peers.set(socket, certificate);
}

/**
 * The peer's certificate if it was verified (`socket.authorized`), else `undefined`.
 * Works for client sockets (the upstream's certificate; for a session resumed by
 * {@link connectTls}, the one verified when the session was established) and server sockets
 * with client authentication (the client's certificate). Read it while the socket is open.
 *
 * It reads `getPeerCertificate().raw` rather than `getPeerX509Certificate()`, which Node 20
 * answers only once per client socket.
 */
export function verifiedPeerCertificate(socket: TLSSocket): X509Certificate | undefined {
  if (!socket.authorized) return undefined;
  const known = peers.get(socket);
  if (known !== undefined) return known;
  const raw = socket.getPeerCertificate()?.raw;
  if (raw === undefined) return undefined;
  const certificate = new X509Certificate(raw);
  peers.set(socket, certificate);
  return certificate;
}
