import { type TlsServerContext, createTlsServerContext } from "@zp/tls";
import type { ListenerConfig } from "../config/proxy-config.js";
import { PingoraError } from "../pingora-error.js";

/**
 * The TLS context of a listener with a certificate: HTTP/1.1 by ALPN, session tickets and a
 * session cache for resumption, certificate files reloaded when they change.
 */
export async function listenerTls(listener: ListenerConfig): Promise<TlsServerContext | undefined> {
  const tls = listener.tls;
  if (tls === undefined) return undefined;
  try {
    return await createTlsServerContext({ certificates: [{ certFile: tls.cert, keyFile: tls.key }], alpn: ["http/1.1"], watch: true });
  } catch (err) {
    throw new PingoraError("ZP_PROXY_SETUP", `TLS for listener ${listener.address}:${listener.port}: ${(err as Error).message}`, err);
  }
}
