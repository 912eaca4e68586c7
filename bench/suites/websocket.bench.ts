// Echo round trips per second: a client sends a message, the server echoes it, the client
// receives it. Both ends are the same library (ours with ours, ws with ws), on loopback.
import { WebSocketServer, connect, type WebSocket } from "@zp/websocket";
import WS, { WebSocketServer as WSServer } from "ws";
import { compare, type Case } from "../lib/compare.js";

interface Echo {
  roundTrip(): Promise<unknown>;
  close(): Promise<void>;
}

async function oursEcho(payload: Buffer, compress: boolean): Promise<Echo> {
  const server = new WebSocketServer({ port: 0, perMessageDeflate: compress ? { threshold: 0 } : false });
  await new Promise<void>((r) => server.once("listening", () => r()));
  server.on("connection", (ws) => ws.on("message", (d, b) => ws.send(d, { binary: b })));
  const client: WebSocket = await connect(`ws://127.0.0.1:${server.address()!.port}`, {
    perMessageDeflate: compress ? { threshold: 0 } : false,
  });
  let resolve: (v: unknown) => void = () => {};
  client.on("message", (d) => resolve(d));
  return {
    roundTrip: () =>
      new Promise((r) => {
        resolve = r;
        client.send(payload, { binary: true });
      }),
    close: async () => {
      client.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function wsEcho(payload: Buffer, compress: boolean): Promise<Echo> {
  const server = new WSServer({ port: 0, host: "127.0.0.1", perMessageDeflate: compress ? { threshold: 0 } : false });
  await new Promise<void>((r) => server.once("listening", () => r()));
  server.on("connection", (ws) => ws.on("message", (d, b) => ws.send(d as Buffer, { binary: b })));
  const client = new WS(`ws://127.0.0.1:${(server.address() as { port: number }).port}`, {
    perMessageDeflate: compress ? { threshold: 0 } : false,
  });
  await new Promise((r) => client.once("open", r));
  let resolve: (v: unknown) => void = () => {};
  client.on("message", (d) => resolve(d));
  return {
    roundTrip: () =>
      new Promise((r) => {
        resolve = r;
        client.send(payload, { binary: true });
      }),
    close: async () => {
      client.terminate();
      for (const c of server.clients) c.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// Compressible content, as real traffic mostly is (JSON, text).
function payloadOf(size: number): Buffer {
  const text = Buffer.from(JSON.stringify({ id: 123456, user: "zingora", tags: ["proxy", "websocket"], ok: true }));
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += text.length) text.copy(out, i, 0, Math.min(text.length, size - i));
  return out;
}

const cases: Case[] = [];
const open: Echo[] = [];
for (const compress of [false, true]) {
  for (const size of [16, 1024, 64 * 1024]) {
    const payload = payloadOf(size);
    const ours = await oursEcho(payload, compress);
    const theirs = await wsEcho(payload, compress);
    open.push(ours, theirs);
    cases.push({
      name: `echo ${size >= 1024 ? `${size / 1024} KiB` : `${size} B`}${compress ? " deflate" : ""}`,
      ours: { name: "@zp/websocket", fn: () => ours.roundTrip() },
      theirs: [{ name: "ws", fn: () => theirs.roundTrip() }],
    });
  }
}
await compare("websocket", cases);
for (const e of open) await e.close();
