import { afterEach, describe, expect, it } from "vitest";
import type { ZpError } from "@zp/error";
import { RequestHeader, type ResponseHeader } from "@zp/http";
import { Connector, type ResponseHeadReceiver } from "@zp/http-client";
import { delay, onRequestHeads, rawServer, type RawServer } from "./helpers/servers.js";

let connector: Connector | undefined;
let server: RawServer | undefined;

afterEach(async () => {
  connector?.close();
  connector = undefined;
  await server?.close();
  server = undefined;
});

/** A receiver that records what it heard, and when asked, what the connection held then. */
function recorder(onHead?: (head: ResponseHeader) => void): ResponseHeadReceiver & { heads: ResponseHeader[]; errors: ZpError[]; settled: Promise<void> } {
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const r = {
    heads: [] as ResponseHeader[],
    errors: [] as ZpError[],
    settled,
    onResponseHead(head: ResponseHeader) {
      r.heads.push(head);
      onHead?.(head);
      settle();
    },
    onResponseHeadFailed(err: ZpError) {
      r.errors.push(err);
      settle();
    },
  };
  return r;
}

async function connectTo(answer: (socket: import("node:net").Socket) => void) {
  server = await rawServer((socket) => onRequestHeads(socket, () => answer(socket)));
  connector = new Connector();
  const conn = await connector.connect({ address: "127.0.0.1", port: server.port });
  conn.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "x"));
  return conn;
}

describe("awaitResponseHeader (no promise)", () => {
  it("calls back once the read is parsed: a response that came whole is complete by then", async () => {
    const conn = await connectTo((s) => s.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello"));
    let pieces: Buffer[] | undefined;
    const r = recorder(() => (pieces = conn.takeCompleteBody()));
    conn.awaitResponseHeader(r);
    await r.settled;
    expect(r.heads.map((h) => [h.status, h.headers.get("x-a")])).toEqual([[200, "1"]]);
    expect(Buffer.concat(pieces!).toString()).toBe("hello");
    expect(conn.release()).toBe(true);
  });

  it("delivers a head that arrives before its body, and the body streams after", async () => {
    const conn = await connectTo((s) => {
      s.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      setTimeout(() => s.write("5\r\nhello\r\n0\r\n\r\n"), 30);
    });
    let complete: Buffer[] | undefined = [];
    const r = recorder(() => (complete = conn.takeCompleteBody()));
    conn.awaitResponseHeader(r);
    await r.settled;
    expect(complete).toBeUndefined(); // the body is still on its way
    const body = await new Promise<string>((resolve, reject) => {
      let text = "";
      conn.setBodySink({ onData: (c) => void (text += c.toString()), onEnd: () => resolve(text), onError: reject });
    });
    expect(body).toBe("hello");
  });

  it("calls back at once for a head that came before the call", async () => {
    const conn = await connectTo((s) => s.write("HTTP/1.1 204 No Content\r\n\r\n"));
    await delay(50);
    const r = recorder();
    conn.awaitResponseHeader(r);
    expect(r.heads.map((h) => h.status)).toEqual([204]);
  });

  it("reports the error when the upstream closes before answering, and refuses a second receiver", async () => {
    const conn = await connectTo((s) => s.destroy());
    const r = recorder();
    conn.awaitResponseHeader(r);
    const second = recorder();
    conn.awaitResponseHeader(second);
    expect(second.errors.map((e) => e.code)).toEqual(["ZP_INTERNAL_ERROR"]);
    await r.settled;
    expect(r.heads).toEqual([]);
    expect(r.errors[0]?.code).toMatch(/^ZP_CONNECTION_CLOSED$|^ZP_CONNECTION_RESET$|^ZP_READ_ERROR$/);
  });
});
