import { Deflate, Z_SYNC_FLUSH } from "pako";
import { afterEach, describe, expect, it } from "vitest";
import { Opcode, WebSocketServer, connect, type WebSocket } from "../src/index.js";
import { closePayload, rawFrame } from "./frame-helpers.js";
import { closeCodeOf, rawClient, rawServer } from "./raw-peer.js";

let server: WebSocketServer | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function start(options: ConstructorParameters<typeof WebSocketServer>[0] = {}): Promise<{ port: number; closes: Promise<number> }> {
  server = new WebSocketServer({ port: 0, ...options });
  await new Promise((r) => server!.once("listening", () => r(undefined)));
  const closes = new Promise<number>((resolve) => server!.on("connection", (ws) => ws.on("close", (code) => resolve(code))));
  return { port: server.address()!.port, closes };
}

function bomb(): Buffer {
  const deflater = new Deflate({ raw: true, level: 9 });
  const chunks: Uint8Array[] = [];
  deflater.onData = (c: Uint8Array) => chunks.push(c);
  const zeros = new Uint8Array(1024 * 1024);
  for (let i = 0; i < 31; i++) deflater.push(zeros, 0);
  deflater.push(zeros, Z_SYNC_FLUSH);
  return Buffer.concat(chunks).subarray(0, -4);
}

describe("the server closes hostile clients with the right code", () => {
  const cases: Array<[string, () => Buffer, number, ConstructorParameters<typeof WebSocketServer>[0]?, string?]> = [
    ["an unmasked client frame", () => rawFrame({ opcode: Opcode.Text, payload: "hi" }), 1002],
    ["a reserved opcode", () => rawFrame({ opcode: 0x5, payload: "hi", mask: true }), 1002],
    ["a text message with bad UTF-8", () => rawFrame({ opcode: Opcode.Text, payload: Buffer.from([0x68, 0xff, 0x69]), mask: true }), 1007],
    ["a frame over the size limit", () => rawFrame({ opcode: Opcode.Binary, payload: Buffer.alloc(4096), mask: true }), 1009, { maxFrameSize: 1024 }],
    [
      "a deflate bomb (32 MiB in a small frame)",
      () => rawFrame({ opcode: Opcode.Binary, payload: bomb(), mask: true, rsv1: true }),
      1009,
      { perMessageDeflate: true, maxMessageSize: 1024 * 1024 },
      "Sec-WebSocket-Extensions: permessage-deflate\r\n",
    ],
    ["an invalid close code", () => rawFrame({ opcode: Opcode.Close, payload: closePayload(1006), mask: true }), 1002],
  ];
  for (const [name, frame, code, options, headers] of cases) {
    it(`${code} for ${name}`, async () => {
      const { port } = await start(options);
      const client = await rawClient(port, headers);
      client.socket.write(frame());
      await client.closed;
      expect(closeCodeOf(client.data())).toBe(code);
    });
  }

  it("keeps other connections working while one is closed for a protocol error", async () => {
    const { port } = await start();
    server!.on("connection", (ws) => ws.on("message", (d, b) => ws.send(d, { binary: b })));
    const good = await connect(`ws://127.0.0.1:${port}/`);
    const bad = await rawClient(port);
    bad.socket.write(rawFrame({ opcode: Opcode.Text, payload: "unmasked" }));
    await bad.closed;
    const echoed = new Promise<string>((r) => good.once("message", (d) => r(d.toString())));
    good.send("still here");
    expect(await echoed).toBe("still here");
    good.close();
  });
});

describe("the client closes hostile servers with the right code", () => {
  const cases: Array<[string, Buffer, number]> = [
    ["a masked server frame", rawFrame({ opcode: Opcode.Text, payload: "hi", mask: true }), 1002],
    ["RSV1 without negotiation", rawFrame({ opcode: Opcode.Text, payload: "hi", rsv1: true }), 1002],
    ["bad UTF-8", rawFrame({ opcode: Opcode.Text, payload: Buffer.from([0xc3]) }), 1007],
  ];
  for (const [name, frame, code] of cases) {
    it(`${code} for ${name}`, async () => {
      const got: Buffer[] = [];
      const { port, server: raw } = await rawServer((socket) => {
        socket.on("data", (c) => got.push(c));
        socket.write(frame);
      });
      const ws: WebSocket = await connect(`ws://127.0.0.1:${port}/`);
      const errors: Error[] = [];
      ws.on("error", (e) => errors.push(e));
      const [closeCode] = await new Promise<[number]>((r) => ws.once("close", (c) => r([c])));
      expect(closeCode).toBe(1006); // the server never sent a Close frame
      expect(errors).toHaveLength(1);
      // what the client sent: a masked close frame with the code
      const sent = Buffer.concat(got);
      expect(sent[0]).toBe(0x88);
      const mask = sent.subarray(2, 6);
      const payload = Buffer.from([sent[6]! ^ mask[0]!, sent[7]! ^ mask[1]!]);
      expect(payload.readUInt16BE(0)).toBe(code);
      raw.close();
    });
  }

  it("rejects a handshake with a wrong accept key or an unoffered subprotocol", async () => {
    const { port, server: raw } = await rawServer(() => {}, "Sec-WebSocket-Protocol: chat\r\n");
    await expect(connect(`ws://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: "ZP_WS_HANDSHAKE_FAILED" });
    await expect(connect(`ws://127.0.0.1:${port}/`, { protocols: ["chat"] })).resolves.toMatchObject({ protocol: "chat" });
    raw.close();
    const bad = (await import("node:net")).createServer((s) => {
      s.on("error", () => {});
      s.once("data", () => s.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: nope\r\n\r\n"));
    });
    await new Promise<void>((r) => bad.listen(0, "127.0.0.1", r));
    const badPort = (bad.address() as { port: number }).port;
    await expect(connect(`ws://127.0.0.1:${badPort}/`)).rejects.toThrow(/Sec-WebSocket-Accept/);
    bad.close();
  });
});
