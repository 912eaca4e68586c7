import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { TlsServerContext } from "../../src/index.js";

/** A loopback listener that hands every raw socket to `ctx.accept`. */
export interface RawTlsListener {
  port: number;
  /** Secure sockets accepted so far. */
  accepted: TLSSocket[];
  /** Errors `accept` rejected with. */
  failures: unknown[];
  /** Resolves with the next failure (or the next one already recorded). */
  nextFailure(): Promise<unknown>;
  close(): Promise<void>;
}

/** Default behaviour: answer like an HTTP/1.1 server and close, so clients see EOF. */
export function answerHttp(socket: TLSSocket): void {
  socket.end(`HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n`);
}

export async function listenRaw(ctx: TlsServerContext, onSecure: (socket: TLSSocket) => void = answerHttp): Promise<RawTlsListener> {
  const accepted: TLSSocket[] = [];
  const failures: unknown[] = [];
  const waiters: Array<(e: unknown) => void> = [];
  let consumed = 0;
  const raws = new Set<Socket>();
  const server: Server = createServer((raw) => {
    raws.add(raw);
    raw.once("close", () => raws.delete(raw));
    ctx.accept(raw).then(
      (socket) => {
        accepted.push(socket);
        socket.on("error", () => {});
        onSecure(socket);
      },
      (err: unknown) => {
        failures.push(err);
        const waiter = waiters.shift();
        if (waiter !== undefined) {
          consumed++;
          waiter(err);
        }
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted,
    failures,
    nextFailure: () =>
      new Promise((resolve) => {
        if (failures.length > consumed) resolve(failures[consumed++]);
        else waiters.push(resolve);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const raw of raws) raw.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads a socket until it ends; resolves with the text. */
export function readAll(socket: TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.once("end", () => resolve(text));
    socket.once("error", reject);
  });
}
