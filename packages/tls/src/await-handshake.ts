import type { TLSSocket } from "node:tls";

/** An error meaning the handshake did not finish in time (mapped to `TLSHandshakeTimeout`). */
export function handshakeTimeoutError(ms: number): Error & { code: string } {
  return Object.assign(new Error(`TLS handshake did not finish within ${ms} ms`), { code: "ERR_TLS_HANDSHAKE_TIMEOUT" });
}

/**
 * Resolves once `socket` emits `event` (`'secure'` on a server socket, `'secureConnect'` on a
 * client) and is still open afterwards. Rejects with the socket's error, with a reset-like
 * error when it closes first, or with `signal.reason` when `signal` aborts; the socket is
 * destroyed on every failure. Listeners are removed either way.
 */
export function awaitHandshake(socket: TLSSocket, event: "secure" | "secureConnect", signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      socket.off(event, onSecure);
      socket.off("error", onError);
      socket.off("close", onClose);
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (err: unknown): void => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onSecure = (): void => {
      // A listener that ran before this one (client authorization) may have destroyed it;
      // its error follows.
      if (socket.destroyed) return;
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => fail(err);
    const onClose = (): void =>
      fail(Object.assign(new Error("socket closed before the TLS handshake finished"), { code: "ECONNRESET" }));
    const onAbort = (): void => fail(signal!.reason);

    if (signal?.aborted) return fail(signal.reason);
    socket.once(event, onSecure);
    socket.on("error", onError);
    socket.once("close", onClose);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
