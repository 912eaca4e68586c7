import { once } from "node:events";
import { type AddressInfo, connect, createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { READ_COPY_LIMIT, ReadArea, copyOut, readAreaOf, setReadArea } from "@zp/http";

describe("ReadArea", () => {
  it("hands out the same buffer until a read is retained, then a fresh one", () => {
    const area = new ReadArea();
    const first = area.next();
    expect(area.next()).toBe(first);
    area.retain();
    const second = area.next();
    expect(second).not.toBe(first);
    expect(second.length).toBe(first.length);
    expect(area.next()).toBe(second);
  });

  it("copyOut copies, so later writes to the source do not show", () => {
    const source = Buffer.from("hello world");
    const copy = copyOut(source, 6, 11);
    source.fill(0);
    expect(copy.toString()).toBe("world");
    expect(READ_COPY_LIMIT).toBeGreaterThan(0);
  });

  it("serves a real socket's onread: small pieces copied stay intact across reads", async () => {
    const server = createServer((s) => {
      s.write("first");
      setTimeout(() => s.end("second"), 20);
    }).listen(0, "127.0.0.1");
    await once(server, "listening");
    const area = new ReadArea();
    const kept: Buffer[] = [];
    const socket = connect({
      port: (server.address() as AddressInfo).port,
      host: "127.0.0.1",
      onread: { buffer: () => area.next(), callback: (n, buf) => kept.push(copyOut(buf, 0, n)) > 0 },
    });
    setReadArea(socket, area);
    expect(readAreaOf(socket)).toBe(area);
    await once(socket, "end");
    expect(Buffer.concat(kept).toString()).toBe("firstsecond");
    socket.destroy();
    server.close();
  });
});
