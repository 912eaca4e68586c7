import type { Socket } from "node:net";
import type { HttpServer } from "@zp/http-server";
import type { TlsServerContext } from "@zp/tls";

/**
 * Hands an accepted socket to the HTTP server, after the TLS handshake when `tls` is set
 * (a failed handshake just drops the connection; `TlsServerContext.accept` destroys it).
 * A client that negotiated HTTP/2 by ALPN is refused: this proxy speaks HTTP/1.1
 * downstream (offer `alpn: ["http/1.1"]` in the context).
 */
export function acceptConnection(server: HttpServer, tls: TlsServerContext | undefined, socket: Socket): void {
  if (tls === undefined) {
    server.handleConnection(socket);
    return;
  }
  tls.accept(socket).then(
    (secure) => {
      if (secure.alpnProtocol === "h2") secure.destroy();
      else server.handleConnection(secure);
    },
    () => {
      // handshake failures concern that client only
    },
  );
}
