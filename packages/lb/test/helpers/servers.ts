import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";

/** A loopback server the test can take down and bring back on the same port. */
export class Loopback<S extends Server = Server> {
  readonly sockets = new Set<Socket>();
  /** Connections accepted so far. */
  accepted = 0;
  port = 0;

  constructor(readonly server: S) {
    server.on("connection", (socket: Socket) => {
      this.accepted++;
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Listens on 127.0.0.1 (the same port as before, after a `down()`). */
  async up(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and destroys every open connection. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }
}

/** A TCP server that accepts and holds connections (closing them on `down()`). */
export function tcpServer(): Loopback {
  // Reads and drops what arrives, so a peer closing is noticed.
  return new Loopback(createNetServer((socket) => socket.resume()));
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server answering with `handler`. */
export function httpServer(handler: Handler): Loopback<HttpServer> {
  return new Loopback(createHttpServer({ keepAliveTimeout: 100 }, handler));
}

/** An HTTPS server with the given certificate. */
export function httpsServer(cert: string, key: string, handler: Handler): Loopback<HttpsServer> {
  return new Loopback(createHttpsServer({ cert, key }, handler));
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
