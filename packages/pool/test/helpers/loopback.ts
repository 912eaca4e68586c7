import { once } from "node:events";
import net from "node:net";
import tls from "node:tls";

/** Both ends of one loopback connection. */
export interface Pair<S extends net.Socket = net.Socket> {
  /** The end the pool holds. */
  client: S;
  /** The server's end of the same connection (a TLSSocket for TLS). */
  server: net.Socket;
  /** The server's TCP socket (the one under `server` for TLS): reset it with `resetAndDestroy()`. */
  raw: net.Socket;
  /** Resolves when the server's end has closed. */
  serverClosed: Promise<void>;
}

/** A TCP (or TLS) server on 127.0.0.1 that hands out the server end of each connection. */
export class LoopbackServer {
  private readonly accepted = new Map<number, [net.Socket, net.Socket]>();
  private readonly waiting = new Map<number, (ends: [net.Socket, net.Socket]) => void>();
  private readonly sockets = new Set<net.Socket>();

  private constructor(readonly server: net.Server, readonly port: number) {}

  /** Starts a plain TCP server, or a TLS one when `tlsOptions` is given. */
  static async start(tlsOptions?: tls.SecureContextOptions): Promise<LoopbackServer> {
    const server = net.createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const loopback = new LoopbackServer(server, (server.address() as net.AddressInfo).port);
    const secureContext = tlsOptions === undefined ? undefined : tls.createSecureContext(tlsOptions);
    server.on("connection", (raw: net.Socket) => {
      loopback.track(raw);
      if (secureContext === undefined) return loopback.onSocket(raw, raw);
      // TLS by hand over the accepted TCP socket, so a test can still reset that socket.
      const secure = new tls.TLSSocket(raw, { isServer: true, secureContext });
      loopback.track(secure);
      secure.once("secure", () => loopback.onSocket(secure, raw));
    });
    return loopback;
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => this.sockets.delete(socket));
  }

  private onSocket(socket: net.Socket, raw: net.Socket): void {
    const port = raw.remotePort!;
    const waiter = this.waiting.get(port);
    if (waiter === undefined) this.accepted.set(port, [socket, raw]);
    else {
      this.waiting.delete(port);
      waiter([socket, raw]);
    }
  }

  /** The server ends (possibly TLS, and TCP) of the connection whose client end has local port `port`. */
  serverEnds(port: number): Promise<[net.Socket, net.Socket]> {
    const ends = this.accepted.get(port);
    if (ends !== undefined) {
      this.accepted.delete(port);
      return Promise.resolve(ends);
    }
    return new Promise((resolve) => this.waiting.set(port, resolve));
  }

  /** Opens a plain TCP connection and waits until both ends are up. */
  async connect(): Promise<Pair> {
    const client = net.connect(this.port, "127.0.0.1");
    await once(client, "connect");
    return this.pair(client);
  }

  /** Opens a TLS connection with the given server name (certificates are not verified). */
  async connectTls(servername: string): Promise<Pair<tls.TLSSocket>> {
    const client = tls.connect({ host: "127.0.0.1", port: this.port, servername, rejectUnauthorized: false });
    await once(client, "secureConnect");
    return this.pair(client);
  }

  private async pair<S extends net.Socket>(client: S): Promise<Pair<S>> {
    const [server, raw] = await this.serverEnds(client.localPort!);
    const serverClosed = raw.destroyed ? Promise.resolve() : new Promise<void>((resolve) => raw.once("close", () => resolve()));
    return { client, server, raw, serverClosed };
  }

  /** Destroys every open server end and stops listening. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Resolves after `ms` milliseconds. */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every few ms until it holds, failing after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error("condition not met in time");
    await wait(2);
  }
}
