import { once } from "node:events";
import { type AddressInfo, connect, createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { READ_COPY_LIMIT, ReadArea, areaReadOptions, copyOut, readAreaOf, setAreaReader, setReadArea } from "@zp/http";

describe("ReadArea", () => {
  it("has one shared area per thread, which refuses retain and copies what is kept", () => {
    const shared = ReadArea.shared();
    expect(ReadArea.shared()).toBe(shared);
    expect(shared.isShared).toBe(true);
    expect(() => shared.retain()).toThrow(/cannot be retained/);
    const buf = shared.next();
    buf.fill(0x61, 0, 8192);
    const kept = shared.keep(buf, 0, 8192); // large, but copied: other sockets read into this buffer next
    expect(kept.buffer).not.toBe(buf.buffer);
    buf.fill(0x62, 0, 8192);
    expect(kept.every((b) => b === 0x61)).toBe(true);
    expect(shared.next()).toBe(buf); // still the same buffer for every socket
  });

  it("keeps large pieces of an own area as views and moves on to a new buffer; small ones are copied", () => {
    const area = new ReadArea();
    expect(area.isShared).toBe(false);
    const first = area.next();
    const small = area.keep(first, 10, 20);
    expect(small.buffer).not.toBe(first.buffer);
    expect(area.next()).toBe(first); // a copy did not retain
    const large = area.keep(first, 0, READ_COPY_LIMIT + 1);
    expect(large.buffer).toBe(first.buffer);
    expect(area.next()).not.toBe(first);
  });

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

  it("serves a real socket's onread: reads go to the reader, or become data events without one", async () => {
    const server = createServer((s) => {
      s.write("first");
      setTimeout(() => s.write("second"), 20);
      setTimeout(() => s.end("third"), 40);
    }).listen(0, "127.0.0.1");
    await once(server, "listening");
    const area = new ReadArea();
    const kept: Buffer[] = [];
    const onread = areaReadOptions(area);
    const socket = connect({ port: (server.address() as AddressInfo).port, host: "127.0.0.1", onread });
    expect(() => setAreaReader(socket, undefined)).toThrow(/does not read through a ReadArea/);
    setReadArea(socket, onread);
    expect(readAreaOf(socket)).toBe(area);
    const reader = {
      onAreaData(buf: Buffer, n: number) {
        expect(buf).toBe(area.next()); // the area itself, not a view
        kept.push(copyOut(buf, 0, n));
        // after the second read, hand the socket over: the rest arrives as `data` events
        if (kept.length === 2) setAreaReader(socket, undefined);
      },
    };
    setAreaReader(socket, reader);
    const events: string[] = [];
    socket.on("data", (chunk: Buffer) => events.push(chunk.toString()));
    await once(socket, "end");
    expect(Buffer.concat(kept).toString()).toBe("firstsecond");
    expect(events).toEqual(["third"]);
    socket.destroy();
    server.close();
  });
});
