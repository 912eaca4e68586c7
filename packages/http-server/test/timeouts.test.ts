import { afterEach, describe, expect, it } from "vitest";
import type { ZpError } from "@zp/error";
import { RawClient, delay } from "@zp-test/support";
import { closeAll, start } from "./helpers/server.js";

afterEach(closeAll);

describe("timeouts", () => {
  it("answers 408 and closes a slowloris client (one header byte every 100 ms, 500 ms header timeout)", async () => {
    let calls = 0;
    const errors: string[] = [];
    const { port } = await start({ headerTimeout: 500, onError: (e) => errors.push(e.code) }, (req, res) => {
      calls++;
      res.end();
    });
    const client = await RawClient.connect(port);
    const head = `GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ${"s".repeat(40)}\r\n\r\n`;
    let sent = 0;
    while (sent < head.length && !client.closed && !client.ended) {
      client.write(head[sent++]!);
      await delay(100);
    }
    const text = await client.untilClosed();
    expect(sent).toBeLessThan(head.length); // cut off long before the head could complete
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(text).toContain("Connection: close\r\n");
    expect(calls).toBe(0);
    expect(errors).toContain("ZP_READ_TIMEOUT");
  });

  it("measures the header timeout per request head, not per connection", async () => {
    const { port } = await start({ headerTimeout: 300 }, (req, res) => res.end("ok"));
    const client = await RawClient.connect(port);
    for (let i = 0; i < 4; i++) {
      client.write("GET / HTTP/1.1\r\n");
      await delay(150);
      client.write("Host: x\r\n\r\n");
      await client.until((t) => t.split("ok").length - 1 === i + 1);
      await delay(100);
    }
    expect(client.closed).toBe(false);
    client.destroy();
  });

  it("closes a connection that never sends a byte, silently", async () => {
    const { port } = await start({ headerTimeout: 200 }, (req, res) => res.end());
    const client = await RawClient.connect(port);
    const text = await client.untilClosed(3000);
    expect(text).toBe("");
  });

  it("closes an idle keep-alive connection silently after keepAliveTimeout", async () => {
    const { port, server } = await start({ keepAliveTimeout: 200 }, (req, res) => res.end("ok"));
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const first = await client.until((t) => t.endsWith("ok"));
    expect(server.connectionCount).toBe(1);
    const text = await client.untilClosed(3000);
    expect(text).toBe(first);
    await delay(20);
    expect(server.connectionCount).toBe(0);
  });

  it("keeps a slow but steady body alive and times out a stalled one with 408", async () => {
    let failure: ZpError | undefined;
    const { port } = await start({ bodyTimeout: 300 }, (req, res) => {
      req.setBodySink({
        onData() {},
        onEnd() {
          res.end(`done ${req.bodyBytesReceived}`);
        },
        onError(err) {
          failure = err;
        },
      });
    });
    const steady = await RawClient.connect(port);
    steady.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\n");
    for (let i = 0; i < 8; i++) {
      await delay(100); // 800 ms in all, never 300 ms without a byte
      steady.write("z");
    }
    await steady.until((t) => t.endsWith("done 8"));
    steady.destroy();

    const stalled = await RawClient.connect(port);
    stalled.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\nzz");
    const text = await stalled.untilClosed(3000);
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(failure?.code).toBe("ZP_READ_TIMEOUT");
  });

  it("destroys a connection whose client stops reading (write timeout)", async () => {
    let closedWith: ZpError | undefined;
    let writeResult: boolean | undefined;
    const done = new Promise<void>((resolve) => {
      void start({ writeTimeout: 300 }, (req, res) => {
        res.onClose((err) => {
          closedWith = err;
          resolve();
        });
        res.writeHead(200, { "Content-Length": String(64 * 1024 * 1024) });
        writeResult = res.write(Buffer.alloc(64 * 1024 * 1024, 1)); // far more than socket buffers hold
      }).then(async ({ port }) => {
        const client = await RawClient.connect(port);
        client.socket.pause(); // never read
        client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      });
    });
    await done;
    expect(writeResult).toBe(false);
    expect(closedWith?.code).toBe("ZP_WRITE_TIMEOUT");
  });
});
