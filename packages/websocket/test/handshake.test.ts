import { createServer as createHttpServer } from "node:http";
import WS, { WebSocketServer as WSServer } from "ws";
import { afterEach, describe, expect, it } from "vitest";
import {
  WebSocketServer,
  acceptKey,
  acceptOffer,
  acceptResponse,
  connect,
  headerLookup,
  negotiateServer,
  parseExtensions,
  type PerMessageDeflateOptions,
} from "../src/index.js";
import { rawRequest } from "./raw-peer.js";

const key = "dGhlIHNhbXBsZSBub25jZQ==";
const base: Array<[string, string]> = [
  ["Host", "example.test"],
  ["Upgrade", "websocket"],
  ["Connection", "keep-alive, Upgrade"],
  ["Sec-WebSocket-Key", key],
  ["Sec-WebSocket-Version", "13"],
];
const without = (name: string) => base.filter(([n]) => n.toLowerCase() !== name);

describe("server handshake", () => {
  it("computes the RFC 6455 example accept key", () => {
    expect(acceptKey(key)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("accepts a valid request and answers 101 with the accept key", () => {
    const r = negotiateServer("GET", headerLookup(base));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.response.toString()).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
  });

  it.each([
    ["POST", base, 405],
    ["GET", without("upgrade"), 400],
    ["GET", without("connection"), 400],
    ["GET", without("host"), 400],
    ["GET", without("sec-websocket-key"), 400],
    ["GET", [...without("sec-websocket-key"), ["Sec-WebSocket-Key", "short"]], 400],
    ["GET", [...base, ["Sec-WebSocket-Key", key]], 400], // duplicated key
    ["GET", [...without("sec-websocket-version"), ["Sec-WebSocket-Version", "8"]], 426],
    ["GET", without("sec-websocket-version"), 400],
    ["GET", [...base, ["Sec-WebSocket-Protocol", "a, a"]], 400],
  ] as Array<[string, Array<[string, string]>, number]>)("%s with bad headers → %i", (method, headers, status) => {
    const r = negotiateServer(method, headerLookup(headers));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(status);
  });

  it("selects the first offered subprotocol the server speaks, in the client's order", () => {
    const r = negotiateServer("GET", headerLookup([...base, ["Sec-WebSocket-Protocol", "v2.chat, v1.chat"]]), { protocols: ["v1.chat", "v2.chat"] });
    expect(r.ok && r.protocol).toBe("v2.chat");
    const none = negotiateServer("GET", headerLookup([...base, ["Sec-WebSocket-Protocol", "other"]]), { protocols: ["v1.chat"] });
    expect(none.ok && none.protocol).toBe("");
    const picked = negotiateServer("GET", headerLookup([...base, ["Sec-WebSocket-Protocol", "a, b"]]), { protocols: (offered) => offered[1] });
    expect(picked.ok && picked.protocol).toBe("b");
  });
});

describe("permessage-deflate negotiation", () => {
  const offer = (text: string, options: PerMessageDeflateOptions = {}) => acceptOffer(parseExtensions(text), options);

  it("parses extension headers with quoted values and several offers", () => {
    expect(parseExtensions('permessage-deflate; client_max_window_bits="10"; server_no_context_takeover, x-other')).toEqual([
      { name: "permessage-deflate", params: [["client_max_window_bits", "10"], ["server_no_context_takeover", true]] },
      { name: "x-other", params: [] },
    ]);
    expect(() => parseExtensions("permessage-deflate;;")).toThrow();
    expect(() => parseExtensions("a b")).toThrow();
  });

  it("answers a bare offer with defaults", () => {
    const r = offer("permessage-deflate; client_max_window_bits");
    expect(r?.params).toEqual({ serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 });
    expect(r?.response.params).toEqual([]);
  });

  it("honours the client's requests with the right role semantics", () => {
    const r = offer("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12");
    expect(r?.params).toEqual({ serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 12 });
    expect(r?.response.params).toEqual([
      ["server_no_context_takeover", true],
      ["client_no_context_takeover", true],
      ["server_max_window_bits", "10"],
      ["client_max_window_bits", "12"],
    ]);
  });

  it("applies the server's own limits", () => {
    const r = offer("permessage-deflate; client_max_window_bits", { serverMaxWindowBits: 11, clientMaxWindowBits: 9, clientNoContextTakeover: true });
    expect(r?.params).toMatchObject({ serverMaxWindowBits: 11, clientMaxWindowBits: 9, clientNoContextTakeover: true });
    // without client_max_window_bits in the offer the server may not limit the client's window
    const r2 = offer("permessage-deflate", { clientMaxWindowBits: 9 });
    expect(r2?.params.clientMaxWindowBits).toBe(15);
    expect(r2?.response.params.some(([k]) => k === "client_max_window_bits")).toBe(false);
  });

  it("declines invalid offers and takes the next acceptable one", () => {
    expect(offer("permessage-deflate; server_max_window_bits=16")).toBeUndefined();
    expect(offer("permessage-deflate; server_max_window_bits")).toBeUndefined();
    expect(offer("permessage-deflate; unknown_param")).toBeUndefined();
    expect(offer("permessage-deflate; server_no_context_takeover=1")).toBeUndefined();
    expect(offer("permessage-deflate; server_max_window_bits=8")).toBeUndefined();
    const r = offer("permessage-deflate; client_max_window_bits; client_max_window_bits, permessage-deflate; server_max_window_bits=12");
    expect(r?.params.serverMaxWindowBits).toBe(12);
  });

  it("validates the server's response on the client", () => {
    const resp = (t: string) => parseExtensions(t)[0]!;
    expect(acceptResponse(resp("permessage-deflate; client_max_window_bits=10"), {})).toMatchObject({ clientMaxWindowBits: 10 });
    expect(() => acceptResponse(resp("permessage-deflate"), { serverNoContextTakeover: true })).toThrow(/server_no_context_takeover/);
    expect(() => acceptResponse(resp("permessage-deflate; server_max_window_bits=12"), { serverMaxWindowBits: 10 })).toThrow();
    expect(() => acceptResponse(resp("permessage-deflate; client_max_window_bits"), {})).toThrow();
    expect(() => acceptResponse(resp("permessage-deflate; foo"), {})).toThrow();
  });
});

describe("negotiated parameters work against ws", () => {
  const strict = { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 11, threshold: 0 };
  let server: WebSocketServer | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it("ws client with every parameter ↔ our server", async () => {
    server = new WebSocketServer({ port: 0, perMessageDeflate: { threshold: 0 } });
    await new Promise((r) => server!.once("listening", () => r(undefined)));
    const serverExt = new Promise<string>((r) =>
      server!.on("connection", (ws) => {
        ws.on("message", (d, b) => ws.send(d, { binary: b }));
        r(ws.extensions);
      }),
    );
    const client = new WS(`ws://127.0.0.1:${server.address()!.port}`, { perMessageDeflate: strict });
    await new Promise((r) => client.once("open", r));
    expect(await serverExt).toBe(
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=11",
    );
    const texts = ["a".repeat(5000), "b".repeat(5000), "repeat ".repeat(1000)];
    const got: string[] = [];
    const done = new Promise<void>((r) => client.on("message", (d) => got.push(String(d)) === texts.length && r()));
    for (const t of texts) client.send(t);
    await done;
    expect(got).toEqual(texts);
    client.close();
  });

  it("our client with every parameter ↔ ws server", async () => {
    const wss = new WSServer({ port: 0, host: "127.0.0.1", perMessageDeflate: { threshold: 0 } });
    await new Promise((r) => wss.once("listening", () => r(undefined)));
    wss.on("connection", (s) => s.on("message", (d, b) => s.send(d as Buffer, { binary: b })));
    const ws = await connect(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`, { perMessageDeflate: strict });
    expect(ws.extensions).toContain("server_max_window_bits=10");
    const texts = ["x".repeat(9000), "y".repeat(9000), "z".repeat(100)];
    const got: string[] = [];
    const done = new Promise<void>((r) => ws.on("message", (d) => got.push(d.toString()) === texts.length && r()));
    for (const t of texts) ws.send(t);
    await done;
    expect(got).toEqual(texts);
    ws.close();
    await new Promise<void>((r) => wss.close(() => r()));
  });
});

describe("servers", () => {
  it("refuses bad upgrade requests on its own port with a status and closes", async () => {
    const server = new WebSocketServer({ port: 0 });
    await new Promise((r) => server.once("listening", () => r(undefined)));
    const port = server.address()!.port;
    const v8 = await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 8\r\n\r\n`);
    expect(v8).toMatch(/^HTTP\/1\.1 426 /);
    expect(v8).toContain("Sec-WebSocket-Version: 13");
    expect(await rawRequest(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawRequest(port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawRequest(port, `GET / HTTP/1.0\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("upgrades sockets handed over by node:http's upgrade event, with subprotocols", async () => {
    const wss = new WebSocketServer({ protocols: ["echo.v1"] });
    const http = createHttpServer((_req, res) => res.end("plain"));
    http.on("upgrade", (req, socket, head) => wss.handleUpgrade(socket as import("node:net").Socket, req, head));
    wss.on("connection", (ws, request) => {
      ws.send(`hello ${request.url}`);
      ws.on("message", (d) => ws.send(d.toString().toUpperCase()));
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const port = (http.address() as { port: number }).port;
    const client = new WS(`ws://127.0.0.1:${port}/room/1`, ["echo.v1"]);
    const messages: string[] = [];
    const two = new Promise<void>((r) => client.on("message", (d) => messages.push(String(d)) === 2 && r()));
    await new Promise((r) => client.once("open", r));
    expect(client.protocol).toBe("echo.v1");
    client.send("shout");
    await two;
    expect(messages).toEqual(["hello /room/1", "SHOUT"]);
    client.close();
    await new Promise((r) => client.once("close", r));
    await new Promise<void>((r) => wss.close(() => r()));
    await new Promise<void>((r) => http.close(() => r()));
  });

  it("reports backpressure with bufferedAmount and drain", async () => {
    const server = new WebSocketServer({ port: 0 });
    await new Promise((r) => server.once("listening", () => r(undefined)));
    const serverSide = new Promise<import("../src/index.js").WebSocket>((r) => server.on("connection", r));
    const client = await connect(`ws://127.0.0.1:${server.address()!.port}`);
    client.socket.pause(); // a client that stops reading
    const ws = await serverSide;
    const chunk = Buffer.alloc(1024 * 1024);
    // Fill the kernel's buffers until data queues in the process: send() must say stop.
    let sent = 0;
    let accepted = true;
    while (ws.bufferedAmount === 0 && sent < 256) {
      accepted = ws.send(chunk);
      sent++;
    }
    expect(sent).toBeLessThan(256);
    expect(ws.bufferedAmount).toBeGreaterThan(0);
    expect(accepted).toBe(false);
    let received = 0;
    const all = new Promise<void>((r) => client.on("message", () => ++received === sent && r()));
    const drained = new Promise<void>((r) => ws.once("drain", () => r()));
    client.socket.resume();
    await drained;
    await all; // every queued message arrives once the client reads again
    expect(received).toBe(sent);
    client.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
});
