import { createHash } from "node:crypto";
import WS, { WebSocketServer as WSS } from "ws";
import { WebSocketServer, connect, type WebSocket } from "../src/index.js";

/** The client end of an echo test, whichever library it is. */
export interface ClientEnd {
  send(data: Buffer | string, binary: boolean, fragmented: boolean): void;
  onMessage(cb: (data: Buffer, isBinary: boolean) => void): void;
  ping(data: Buffer): void;
  onPong(cb: (data: Buffer) => void): void;
  close(code: number, reason: string): void;
  closed: Promise<[number, string]>;
  bufferedAmount(): number;
}

/** The server end: what the server saw when the connection closed. */
export interface ServerEnd {
  port: number;
  closedWith: Promise<[number, string]>;
  /** Makes the server close its first connection with this code. */
  closeFirst(code: number, reason: string): void;
  /** Makes the server ping its first connection; resolves with the pong data. */
  pingFirst(data: Buffer): Promise<Buffer>;
  stop(): Promise<void>;
}

export async function oursServer(deflate: boolean): Promise<ServerEnd> {
  const server = new WebSocketServer({ port: 0, perMessageDeflate: deflate ? { threshold: 0 } : false, maxMessageSize: 64 * 1024 * 1024, maxFrameSize: 64 * 1024 * 1024 });
  await new Promise((r) => server.once("listening", () => r(undefined)));
  let first: WebSocket | undefined;
  let closedResolve!: (v: [number, string]) => void;
  const closedWith = new Promise<[number, string]>((r) => (closedResolve = r));
  const ready = new Promise<WebSocket>((resolve) => {
    server.on("connection", (ws) => {
      first ??= ws;
      resolve(ws);
      ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
      ws.on("close", (code, reason) => closedResolve([code, reason.toString()]));
    });
  });
  return {
    port: server.address()!.port,
    closedWith,
    closeFirst: (code, reason) => void ready.then((ws) => ws.close(code, reason)),
    pingFirst: async (data) => {
      const ws = await ready;
      const pong = new Promise<Buffer>((r) => ws.once("pong", r));
      ws.ping(data);
      return pong;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function wsServer(deflate: boolean): Promise<ServerEnd> {
  const server = new WSS({ port: 0, host: "127.0.0.1", perMessageDeflate: deflate ? { threshold: 0 } : false, maxPayload: 64 * 1024 * 1024 });
  await new Promise((r) => server.once("listening", () => r(undefined)));
  let closedResolve!: (v: [number, string]) => void;
  const closedWith = new Promise<[number, string]>((r) => (closedResolve = r));
  const ready = new Promise<WS>((resolve) => {
    server.on("connection", (ws) => {
      resolve(ws);
      ws.on("message", (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
      ws.on("close", (code, reason) => closedResolve([code, reason.toString()]));
    });
  });
  return {
    port: (server.address() as { port: number }).port,
    closedWith,
    closeFirst: (code, reason) => void ready.then((ws) => ws.close(code, reason)),
    pingFirst: async (data) => {
      const ws = await ready;
      const pong = new Promise<Buffer>((r) => ws.once("pong", r));
      ws.ping(data);
      return pong;
    },
    stop: () =>
      new Promise<void>((r) => {
        for (const c of server.clients) c.terminate();
        server.close(() => r());
      }),
  };
}

function fragments(data: Buffer): Buffer[] {
  const a = Math.floor(data.length / 3);
  const b = Math.floor((2 * data.length) / 3);
  return [data.subarray(0, a), data.subarray(a, b), data.subarray(b)];
}

export async function oursClient(port: number, deflate: boolean): Promise<ClientEnd> {
  const ws = await connect(`ws://127.0.0.1:${port}/echo`, {
    perMessageDeflate: deflate ? { threshold: 0 } : false,
    maxMessageSize: 64 * 1024 * 1024,
    maxFrameSize: 64 * 1024 * 1024,
  });
  const closed = new Promise<[number, string]>((r) => ws.once("close", (code, reason) => r([code, reason.toString()])));
  return {
    send(data, binary, fragmented) {
      const buf = typeof data === "string" ? Buffer.from(data) : data;
      if (!fragmented) ws.send(buf, { binary });
      else {
        const parts = fragments(buf);
        for (const [i, p] of parts.entries()) ws.send(p, { binary, fin: i === parts.length - 1 });
      }
    },
    onMessage: (cb) => ws.on("message", cb),
    ping: (data) => ws.ping(data),
    onPong: (cb) => ws.on("pong", cb),
    close: (code, reason) => ws.close(code, reason),
    closed,
    bufferedAmount: () => ws.bufferedAmount,
  };
}

export async function wsClient(port: number, deflate: boolean): Promise<ClientEnd> {
  const ws = new WS(`ws://127.0.0.1:${port}/echo`, { perMessageDeflate: deflate ? { threshold: 0 } : false, maxPayload: 64 * 1024 * 1024 });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const closed = new Promise<[number, string]>((r) => ws.once("close", (code, reason) => r([code, reason.toString()])));
  return {
    send(data, binary, fragmented) {
      const buf = typeof data === "string" ? Buffer.from(data) : data;
      if (!fragmented) ws.send(buf, { binary });
      else {
        const parts = fragments(buf);
        for (const [i, p] of parts.entries()) ws.send(p, { binary, fin: i === parts.length - 1 });
      }
    },
    onMessage: (cb) => ws.on("message", (d, isBinary) => cb(d as Buffer, isBinary)),
    ping: (data) => ws.ping(data),
    onPong: (cb) => ws.on("pong", cb),
    close: (code, reason) => ws.close(code, reason),
    closed,
    bufferedAmount: () => ws.bufferedAmount,
  };
}

/** A seeded PRNG (mulberry32), so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = ["proxy", "upstream", "héllo", "wörld", "✓", "🎉", "frame", "deflate", "zingora", "ping"];

/** A message of `size` bytes: compressible-ish text (valid UTF-8) or random-ish binary. */
export function message(rand: () => number, size: number, binary: boolean): Buffer {
  if (binary) {
    const out = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) out[i] = (rand() * 256) & (i % 7 === 0 ? 0xff : 0x1f);
    return out;
  }
  const parts: string[] = [];
  let bytes = 0;
  while (bytes < size) {
    const word = `${words[Math.floor(rand() * words.length)]} `;
    parts.push(word);
    bytes += Buffer.byteLength(word);
  }
  const buf = Buffer.from(parts.join(""));
  // cut back to `size` without splitting a character
  let end = size;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end);
}

export function digest(data: Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}
