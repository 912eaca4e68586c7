import { afterEach, describe, expect, it } from "vitest";
import { HeaderMap, ResponseHeader } from "@zp/http";
import { RawClient, delay, exchange } from "@zp-test/support";
import { closeAll, start } from "./helpers/server.js";

afterEach(closeAll);

/** An upstream response head as a proxy would get it from its client side. */
function upstreamHead(status: number, fields: [string, string][], reason?: string): ResponseHeader {
  const headers = new HeaderMap();
  for (const [name, value] of fields) headers.appendUnchecked(name, value);
  return ResponseHeader.unchecked(status, "HTTP/1.1", headers, reason);
}

describe("forwarding heads and bodies (the proxy's data path)", () => {
  it("forwards a ResponseHeader with its reason and field case, replacing hop-by-hop connection fields", async () => {
    const { port } = await start({}, (req, res) => {
      const head = upstreamHead(
        200,
        [
          ["x-UPSTREAM-case", "kept"],
          ["Connection", "keep-alive"],
          ["Keep-Alive", "timeout=30"],
          ["Content-Length", "5"],
        ],
        "Fine Thanks",
      );
      res.writeHead(head);
      res.write("he");
      res.end("llo");
    });
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.until((t) => t.endsWith("hello"));
    expect(text.startsWith("HTTP/1.1 200 Fine Thanks\r\nx-UPSTREAM-case: kept\r\nContent-Length: 5\r\nDate: ")).toBe(true);
    expect(text).not.toContain("Keep-Alive");
    expect(text).not.toContain("Connection");
    client.destroy();
  });

  it("re-chunks a chunked upstream body, keeping its transfer codings, and delimits by close for HTTP/1.0", async () => {
    const handler = (_req: unknown, res: { writeHead(h: ResponseHeader): unknown; write(c: string): boolean; end(): void }) => {
      res.writeHead(upstreamHead(200, [["Transfer-Encoding", "gzip, chunked"]]));
      res.write("abc");
      res.end();
    };
    const { port } = await start({}, handler as never);
    const v11 = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(v11).toContain("Transfer-Encoding: gzip, chunked\r\n");
    expect(v11.endsWith("\r\n\r\n3\r\nabc\r\n0\r\n\r\n")).toBe(true);
    const v10 = await exchange(port, "GET / HTTP/1.0\r\n\r\n");
    expect(v10).not.toContain("Transfer-Encoding");
    expect(v10).toContain("Connection: close\r\n"); // delimited by closing
    expect(v10.endsWith("\r\n\r\nabc")).toBe(true);
  });

  it("adds chunked framing after a transfer coding that does not end in chunked", async () => {
    const { port } = await start({}, (req, res) => {
      res.writeHead(upstreamHead(200, [["Transfer-Encoding", "gzip"]]));
      res.end("z");
    });
    const text = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(text).toContain("Transfer-Encoding: gzip\r\nDate: ");
    expect(text).toContain("Transfer-Encoding: chunked\r\n");
    expect(text.endsWith("1\r\nz\r\n0\r\n\r\n")).toBe(true);
  });

  it("keeps Content-Length on 304 and drops it on 204", async () => {
    const { port } = await start({}, (req, res) => {
      const status = req.url === "/304" ? 304 : 204;
      res.writeHead(upstreamHead(status, [["Content-Length", "42"], ["ETag", '"e"']]));
      res.end();
    });
    const client = await RawClient.connect(port);
    client.write("GET /304 HTTP/1.1\r\nHost: x\r\n\r\nGET /204 HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.until((t) => t.split("HTTP/1.1 ").length === 3 && t.endsWith("\r\n\r\n"));
    const [, notModified, noContent] = text.split("HTTP/1.1 ");
    expect(notModified).toContain("Content-Length: 42\r\n");
    expect(noContent).not.toContain("Content-Length");
    client.destroy();
  });

  it("sends the head on flushHeaders, before any body byte exists", async () => {
    let finish: (() => void) | undefined;
    const { port } = await start({}, (req, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.flushHeaders();
      finish = () => res.end("data: late\n\n");
    });
    const client = await RawClient.connect(port);
    client.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    const head = await client.until((t) => t.endsWith("\r\n\r\n"));
    expect(head).toContain("Transfer-Encoding: chunked\r\n");
    finish!();
    await client.until((t) => t.endsWith("0\r\n\r\n"));
    expect(client.text).toContain("data: late");
    client.destroy();
  });

  it("streams with backpressure: write returns false and onDrain resumes", async () => {
    const total = 8 * 1024 * 1024;
    let sawFalse = false;
    let drains = 0;
    const { port } = await start({}, (req, res) => {
      res.writeHead(200, { "Content-Length": total });
      const piece = Buffer.alloc(64 * 1024, 0x62);
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent += piece.length;
          if (!res.write(piece)) {
            sawFalse = true;
            return;
          }
        }
        res.end();
      };
      res.onDrain(() => {
        drains++;
        pump();
      });
      pump();
    });
    const client = await RawClient.connect(port);
    client.socket.pause();
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await delay(50); // let the socket buffers fill
    client.socket.resume();
    await client.until((t) => t.length > total, 10_000);
    expect(sawFalse).toBe(true);
    expect(drains).toBeGreaterThan(0);
    client.destroy();
  });

  it("writes a field's current value when it changes between responses", async () => {
    let n = 0;
    const { port } = await start({}, (req, res) => {
      n++;
      res.writeHead(200, { "X-Seq": n <= 2 ? "same" : `v${n}`, "Content-Type": "text/plain" });
      res.end("");
    });
    const client = await RawClient.connect(port);
    for (let i = 0; i < 4; i++) client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.until((t) => t.split("HTTP/1.1 200").length === 5 && t.endsWith("\r\n\r\n"));
    expect([...text.matchAll(/X-Seq: (\w+)\r\n/g)].map((m) => m[1])).toEqual(["same", "same", "v3", "v4"]);
    client.destroy();
  });
});
