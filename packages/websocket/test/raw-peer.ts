import { connect, createServer, type Server, type Socket } from "node:net";
import { acceptKey } from "../src/handshake.js";

/** A raw TCP client that performs the opening handshake by hand and then reads bytes. */
export async function rawClient(port: number, extraHeaders = ""): Promise<{ socket: Socket; head: string; rest: Buffer; data: () => Buffer; closed: Promise<void> }> {
  const socket = connect(port, "127.0.0.1");
  const key = "dGhlIHNhbXBsZSBub25jZQ==";
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extraHeaders}\r\n`);
  const chunks: Buffer[] = [];
  const closed = new Promise<void>((r) => socket.once("close", () => r()));
  socket.on("error", () => {});
  socket.on("data", (c) => chunks.push(c));
  for (;;) {
    const all = Buffer.concat(chunks);
    const end = all.indexOf("\r\n\r\n");
    if (end >= 0) {
      const head = all.subarray(0, end).toString("latin1");
      if (!head.includes(`Sec-WebSocket-Accept: ${acceptKey(key)}`)) throw new Error(`bad handshake: ${head}`);
      chunks.length = 0;
      const rest = all.subarray(end + 4);
      if (rest.length) chunks.push(rest);
      return { socket, head, rest, data: () => Buffer.concat(chunks), closed };
    }
    await new Promise((r) => socket.once("data", r));
  }
}

/** Sends a raw request and returns the whole response (until the server closes). */
export function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => {});
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.write(request);
  });
}

/** A raw TCP server that answers any handshake with 101 and then runs `after` on the socket. */
export async function rawServer(after: (socket: Socket) => void, extraResponseHeaders = ""): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    let buf = "";
    socket.on("error", () => {});
    const onData = (c: Buffer) => {
      buf += c.toString("latin1");
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      const key = /sec-websocket-key: *(\S+)/i.exec(buf)![1]!;
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n${extraResponseHeaders}\r\n`);
      after(socket);
    };
    socket.on("data", onData);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as { port: number }).port, server };
}

/** Parses the first frame of `data` as a close frame: its code, or undefined. */
export function closeCodeOf(data: Buffer): number | undefined {
  if (data.length < 4 || (data[0]! & 0x0f) !== 0x8) return undefined;
  return data.readUInt16BE(2);
}
