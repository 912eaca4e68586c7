import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import { scanClientHello } from "./client-hello.js";

/**
 * Reads a raw connection until its ClientHello is complete (or clearly not one), puts every
 * byte back with `unshift` and returns the session ticket the client offers, if any. The
 * bytes stay buffered on the socket, and a `TLSSocket` wrapping it afterwards reads them
 * first, so the handshake is unaffected.
 *
 * Resolves `undefined` (without error) when the connection ends, fails or sends something
 * else; the caller's handshake then reports the problem. It never times out on its own:
 * `signal` aborts the wait (the bytes read so far are put back).
 */
export function peekSessionTicket(socket: Socket, signal?: AbortSignal): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;

    const finish = (ticket: Uint8Array | undefined): void => {
      if (done) return;
      done = true;
      socket.off("data", onData);
      socket.off("end", onStop);
      socket.off("error", onStop);
      socket.off("close", onStop);
      signal?.removeEventListener("abort", onStop);
      socket.pause();
      if (total > 0 && !socket.destroyed) socket.unshift(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
      // Copy: the ticket points into bytes that now belong to the socket's buffer.
      resolve(ticket === undefined ? undefined : Uint8Array.prototype.slice.call(ticket));
    };
    const onStop = (): void => finish(undefined);
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      total += chunk.length;
      const joined = chunks.length === 1 ? chunk : Buffer.concat(chunks, total);
      const scan = scanClientHello(joined);
      if (scan.kind === "incomplete") return;
      finish(scan.kind === "complete" ? scan.ticket : undefined);
    };

    if (signal?.aborted) return finish(undefined);
    signal?.addEventListener("abort", onStop, { once: true });
    socket.on("data", onData);
    socket.once("end", onStop);
    socket.once("error", onStop);
    socket.once("close", onStop);
  });
}
