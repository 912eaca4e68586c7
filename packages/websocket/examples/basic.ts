import { WebSocketServer, connect } from "@zp/websocket";

// A server that owns a port and echoes every message, with compression on offer.
const server = new WebSocketServer({ port: 0, perMessageDeflate: true, maxMessageSize: 16 * 1024 * 1024 });
await new Promise<void>((resolve) => server.once("listening", () => resolve()));
server.on("connection", (ws, request) => {
  console.log(`server: connection to ${request.url}, extensions: ${ws.extensions || "none"}`);
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
});

// A client: connect() resolves once the handshake is done.
const ws = await connect(`ws://127.0.0.1:${server.address()!.port}/chat`, { perMessageDeflate: true });
const reply = new Promise<string>((resolve) => ws.once("message", (data) => resolve(data.toString())));
ws.send("hello, zingora");
console.log(`client: echoed ${JSON.stringify(await reply)}`);

ws.close(1000, "done");
const [code, reason] = await new Promise<[number, Buffer]>((resolve) => ws.once("close", (c, r) => resolve([c, r])));
console.log(`client: closed with ${code} ${reason.toString()}`);
await new Promise<void>((resolve) => server.close(() => resolve()));
