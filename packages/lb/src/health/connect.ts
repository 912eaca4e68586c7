import { connect as netConnect, type Socket } from "node:net";
import { fromSystemError } from "@zp/error";
import { connectTls, type TlsPeer } from "@zp/tls";

/** TLS settings of a check: `@zp/tls` peer options without the host and port. */
export type CheckTlsOptions = Omit<TlsPeer, "host" | "port">;

/**
 * @internal Opens a TCP connection, or a TLS one when `tls` is given (handshake done,
 * certificate verified as configured). Rejects with an upstream `ZpError`, or with
 * `signal.reason` once it aborts (the socket is destroyed).
 */
export function openConnection(host: string, port: number, tls: CheckTlsOptions | undefined, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  if (tls !== undefined) {
    return connectTls({ sessionCache: false, ...tls, host, port, timeoutMs, signal });
  }
  return new Promise<Socket>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = netConnect({ host, port });
    const cleanup = (): void => {
      signal.removeEventListener("abort", onAbort);
      socket.removeListener("error", onError);
      socket.removeListener("connect", onConnect);
    };
    const onAbort = (): void => {
      cleanup();
      socket.destroy();
      reject(signal.reason);
    };
    const onError = (err: Error): void => {
      cleanup();
      socket.destroy();
      reject(fromSystemError(err, "connect", `connecting to ${host}:${port}`).asUpstream());
    };
    const onConnect = (): void => {
      cleanup();
      resolve(socket);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("error", onError);
    socket.once("connect", onConnect);
  });
}
