import { once } from "node:events";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";

/** A node:http server on 127.0.0.1 that counts the TCP connections it accepted. */
export interface CountingHttpServer {
  server: HttpServer;
  port: number;
  origin: string;
  /** TCP connections accepted so far. */
  connections: () => number;
  close: () => Promise<void>;
}

/** Starts a node:http server on a free loopback port. */
export async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<CountingHttpServer> {
  const server = createHttpServer(handler);
  let connections = 0;
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

/** A raw TCP server on 127.0.0.1 for upstreams that misbehave in ways node:http never would. */
export interface RawServer {
  server: NetServer;
  port: number;
  origin: string;
  connections: () => number;
  close: () => Promise<void>;
}

/** Starts a raw TCP server; `onSocket(socket, index)` gets each accepted connection (0-based). */
export async function rawServer(onSocket: (socket: Socket, index: number) => void): Promise<RawServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onSocket(socket, connections++);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

/**
 * Calls `onRequest(socket, head, index)` for every request head (up to the blank line) that
 * arrives on a raw connection; request bodies are not supported. `index` counts requests on
 * that connection.
 */
export function onRequestHeads(socket: Socket, onRequest: (head: string, index: number) => void): void {
  let pending = "";
  let index = 0;
  socket.setEncoding("latin1");
  socket.on("data", (text: string) => {
    pending += text;
    let end: number;
    while ((end = pending.indexOf("\r\n\r\n")) !== -1) {
      const head = pending.slice(0, end);
      pending = pending.slice(end + 4);
      onRequest(head, index++);
    }
  });
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
