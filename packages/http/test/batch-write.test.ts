import { once } from "node:events";
import { type AddressInfo, type Server, type Socket, connect, createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { flushBatched, writeBatched } from "@zp/http";

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A loopback pair: our client socket and a promise of everything the server side receives. */
async function pair(): Promise<{ socket: Socket; received: Promise<Buffer>; reads: Buffer[] }> {
  const reads: Buffer[] = [];
  let done!: (b: Buffer) => void;
  const received = new Promise<Buffer>((r) => {
    done = r;
  });
  const server = createServer((s) => {
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
  return { socket, received, reads };
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("writeBatched", () => {
  it("holds a turn's writes and sends them, in order, when the turn ends", async () => {
    const { socket, received } = await pair();
    expect(writeBatched(socket, "one,")).toBe(true);
    expect(writeBatched(socket, Buffer.from("two,"))).toBe(true);
    expect(writeBatched(socket, new Uint8Array([0x74, 0x68, 0x72, 0x65, 0x65]))).toBe(true);
    expect(socket.writableCorked).toBe(1);
    expect(socket.writableLength).toBe(13); // still ours, not the kernel's
    await nextTurn();
    expect(socket.writableCorked).toBe(0);
    expect(socket.writableLength).toBe(0);
    socket.end();
    expect((await received).toString()).toBe("one,two,three");
  });

  it("flushes every socket written in the turn, each once", async () => {
    const a = await pair();
    const b = await pair();
    writeBatched(a.socket, "a1");
    writeBatched(b.socket, "b1");
    writeBatched(a.socket, "a2");
    await nextTurn();
    expect(a.socket.writableCorked).toBe(0);
    expect(b.socket.writableCorked).toBe(0);
    // the next turn batches again
    writeBatched(a.socket, "a3");
    expect(a.socket.writableCorked).toBe(1);
    await nextTurn();
    a.socket.end();
    b.socket.end();
    expect((await a.received).toString()).toBe("a1a2a3");
    expect((await b.received).toString()).toBe("b1");
  });

  it("reports backpressure: false once the held bytes pass the high-water mark", async () => {
    const { socket, received } = await pair();
    const big = Buffer.alloc(socket.writableHighWaterMark, 0x61);
    expect(writeBatched(socket, "x")).toBe(true);
    expect(writeBatched(socket, big)).toBe(false);
    expect(socket.writableNeedDrain).toBe(true);
    await once(socket, "drain");
    socket.end();
    expect((await received).length).toBe(big.length + 1);
  });

  it("leaves a socket corked by someone else alone: their uncork sends it", async () => {
    const { socket, received } = await pair();
    socket.cork();
    writeBatched(socket, "theirs");
    await nextTurn();
    expect(socket.writableLength).toBe(6); // our flush did not touch their cork
    socket.uncork();
    expect(socket.writableLength).toBe(0);
    socket.end();
    expect((await received).toString()).toBe("theirs");
  });

  it("flushBatched sends held bytes at once, so a destroy right after loses nothing", async () => {
    const { socket, received } = await pair();
    writeBatched(socket, "last words");
    flushBatched(socket);
    expect(socket.writableLength).toBe(0);
    socket.destroy();
    expect((await received).toString()).toBe("last words");
    await nextTurn(); // the turn's flush then finds nothing to do on a destroyed socket
  });

  it("without flushBatched a destroy drops what the turn held", async () => {
    const { socket, received } = await pair();
    writeBatched(socket, "lost");
    socket.destroy();
    expect((await received).toString()).toBe("");
  });
});
