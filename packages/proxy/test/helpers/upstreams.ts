import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type AddressInfo, type Socket, createServer as createNetServer, type Server as NetServer } from "node:net";

/** A node:http upstream on loopback that counts its TCP connections. */
export interface HttpUpstream {
  server: Server;
  port: number;
  /** `127.0.0.1:port`. */
  endpoint: string;
  /** TCP connections accepted so far. */
  connections: number;
  /** Requests received so far. */
  requests: number;
  /** Sockets currently open. */
  sockets: Set<Socket>;
  close(): Promise<void>;
}

const open: { close(): Promise<void> }[] = [];

/** Starts a node:http upstream with `handler`. */
export async function httpUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<HttpUpstream> {
  const sockets = new Set<Socket>();
  const upstream = { connections: 0, requests: 0, sockets } as HttpUpstream;
  const server = createServer((req, res) => {
    upstream.requests++;
    handler(req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket: Socket) => {
    upstream.connections++;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  upstream.server = server;
  upstream.port = port;
  upstream.endpoint = `127.0.0.1:${port}`;
  upstream.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  open.push(upstream);
  return upstream;
}

/** A raw TCP upstream for misbehaviour: `onConnection` gets every socket. */
export interface RawUpstream {
  server: NetServer;
  port: number;
  endpoint: string;
  connections: number;
  close(): Promise<void>;
}

/** Starts a raw TCP server on loopback. */
export async function rawUpstream(onConnection: (socket: Socket) => void): Promise<RawUpstream> {
  const sockets = new Set<Socket>();
  const upstream = { connections: 0 } as RawUpstream;
  const server = createNetServer((socket) => {
    upstream.connections++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  upstream.server = server;
  upstream.port = port;
  upstream.endpoint = `127.0.0.1:${port}`;
  upstream.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  open.push(upstream);
  return upstream;
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Closes every upstream started by these helpers. */
export async function closeUpstreams(): Promise<void> {
  const all = open.splice(0);
  await Promise.all(all.map((u) => u.close()));
}
