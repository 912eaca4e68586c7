import { once } from "node:events";
import { type AddressInfo, type Server, type Socket, connect, createServer } from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { BatchedWriter } from "@zp/http";

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A loopback pair: our client socket and a promise of everything the server side receives. */
async function pair(options: { paused?: boolean } = {}): Promise<{ socket: Socket; received: Promise<Buffer>; reads: Buffer[]; server: { resume(): void } }> {
  const reads: Buffer[] = [];
  let done!: (b: Buffer) => void;
  const received = new Promise<Buffer>((r) => {
    done = r;
  });
  let accepted: Socket | undefined;
  let resumeWanted = false;
  const server = createServer((s) => {
    accepted = s;
    if (options.paused && !resumeWanted) s.pause();
    s.on("data", (b: Buffer) => reads.push(b));
    s.on("end", () => {
      done(Buffer.concat(reads));
      s.end();
    });
    s.on("error", () => done(Buffer.concat(reads)));
  }).listen(0, "127.0.0.1");
  servers.push(server);
  await once(server, "listening");
  const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
  socket.setNoDelay(true);
  await once(socket, "connect");
  const control = {
    resume(): void {
      resumeWanted = true;
      accepted?.resume();
    },
  };
  return { socket, received, reads, server: control };
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("BatchedWriter", () => {
  it("holds a turn's writes and sends them, in order, when the turn ends", async () => {
    const { socket, received, reads } = await pair();
    const out = new BatchedWriter(socket);
    expect(out.write("one,")).toBe(true);
    expect(out.write(Buffer.from("two,"))).toBe(true);
    expect(out.write(new Uint8Array([0x74, 0x68, 0x72, 0x65, 0x65]))).toBe(true);
    expect(out.held).toBe(13);
    expect(socket.writableLength).toBe(0); // nothing handed to the socket yet
    expect(socket.bytesWritten).toBe(0);
    await nextTurn();
    expect(out.held).toBe(0);
    expect(socket.bytesWritten).toBe(13);
    socket.end();
    expect((await received).toString()).toBe("one,two,three");
    expect(reads.length).toBe(1); // one writev, one segment
  });

  it("flushes every writer that wrote in the turn, and batches again the next turn", async () => {
    const a = await pair();
    const b = await pair();
    const outA = new BatchedWriter(a.socket);
    const outB = new BatchedWriter(b.socket);
    outA.write("a1");
    outB.write("b1");
    outA.write("a2");
    await nextTurn();
    expect(outA.held + outB.held).toBe(0);
    outA.write("a3");
    expect(outA.held).toBe(2);
    await nextTurn();
    a.socket.end();
    b.socket.end();
    expect((await a.received).toString()).toBe("a1a2a3");
    expect((await b.received).toString()).toBe("b1");
  });

  it("writes through, after what it holds, once the high-water mark is reached, and reports backpressure", async () => {
    const { socket, received, server } = await pair({ paused: true });
    const out = new BatchedWriter(socket);
    // more than the kernel's socket buffers take while the peer does not read
    const big = Buffer.alloc(16 * 1024 * 1024, 0x61);
    expect(out.write("x")).toBe(true);
    expect(out.held).toBe(1);
    expect(out.write(big)).toBe(false); // the stream's own answer
    expect(out.held).toBe(0);
    expect(socket.writableNeedDrain).toBe(true);
    expect(out.write("y")).toBe(false); // waiting for a drain: written through, not held
    expect(out.held).toBe(0);
    server.resume();
    await once(socket, "drain");
    socket.end();
    const got = await received;
    expect(got.length).toBe(big.length + 2);
    expect(String.fromCharCode(got[0]!, got[got.length - 1]!)).toBe("xy");
  });

  it("writes through into a stream someone corked, after what it holds", async () => {
    const { socket, received } = await pair();
    const out = new BatchedWriter(socket);
    out.write("held,");
    socket.cork();
    out.write("corked");
    expect(out.held).toBe(0);
    socket.uncork();
    socket.end();
    expect((await received).toString()).toBe("held,corked");
  });

  it("flush sends held bytes at once, so a destroy right after loses nothing", async () => {
    const { socket, received } = await pair();
    const out = new BatchedWriter(socket);
    out.write("last words");
    out.flush();
    expect(out.held).toBe(0);
    socket.destroy();
    expect((await received).toString()).toBe("last words");
    await nextTurn(); // the turn's flush then finds nothing to write
  });

  it("drops what it holds for a stream destroyed before the turn ends, as the stream drops its buffer", async () => {
    const { socket, received } = await pair();
    const out = new BatchedWriter(socket);
    out.write("lost");
    socket.destroy();
    await nextTurn();
    expect((await received).toString()).toBe("");
  });
});

describe("BatchedWriter flush order", () => {
  it("flushes early writers first, then the others, each group in the order it first wrote", async () => {
    const order: string[] = [];
    const sink = (name: string): Writable =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          order.push(`${name}:${chunk.toString()}`);
          done();
        },
      });
    const late1 = new BatchedWriter(sink("late1"));
    const early1 = new BatchedWriter(sink("early1"), { early: true });
    const late2 = new BatchedWriter(sink("late2"));
    const early2 = new BatchedWriter(sink("early2"), { early: true });
    late1.write("a");
    early1.write("b");
    late2.write("c");
    early2.write("d");
    late1.write("e");
    expect(order).toEqual([]);
    await nextTurn();
    expect(order).toEqual(["early1:b", "early2:d", "late1:a", "late1:e", "late2:c"]);
  });
});
