import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Deflate, Z_SYNC_FLUSH } from "pako";
import { Opcode } from "../src/constants.js";
import { PerMessageDeflate } from "../src/permessage-deflate.js";
import { Receiver, type ReceiverLimits } from "../src/receiver.js";
import type { WebSocketError } from "../src/websocket-error.js";
import { closePayload, rawFrame } from "./frame-helpers.js";

interface Event {
  type: string;
  data?: Buffer;
  isBinary?: boolean;
  code?: number;
  error?: WebSocketError;
}

function receiver(isServer: boolean, limits: ReceiverLimits = {}, deflate: PerMessageDeflate | null = null) {
  const events: Event[] = [];
  const r = new Receiver(
    {
      onMessage: (data, isBinary) => events.push({ type: "message", data, isBinary }),
      onPing: (data) => events.push({ type: "ping", data }),
      onPong: (data) => events.push({ type: "pong", data }),
      onClose: (code, reason) => events.push({ type: "close", code, data: reason }),
      onError: (error) => events.push({ type: "error", error, code: error.closeCode }),
    },
    isServer,
    deflate,
    limits,
  );
  return { r, events };
}

const defaultParams = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };

describe("Receiver", () => {
  it("reads 7, 16 and 64-bit lengths", () => {
    const { r, events } = receiver(false);
    const small = Buffer.alloc(125, 1);
    const medium = Buffer.alloc(300, 2);
    const large = Buffer.alloc(70_000, 3);
    r.write(rawFrame({ opcode: Opcode.Binary, payload: small }));
    r.write(rawFrame({ opcode: Opcode.Binary, payload: medium }));
    r.write(rawFrame({ opcode: Opcode.Binary, payload: large }));
    r.write(rawFrame({ opcode: Opcode.Binary, payload: Buffer.alloc(5, 4), lengthBits: 64 }));
    expect(events.map((e) => e.data!.length)).toEqual([125, 300, 70_000, 5]);
    expect(events[2]!.data!.equals(large)).toBe(true);
  });

  it("unmasks client frames on the server and gives the same result for any split", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(500), { maxLength: 6 }), (payload, cuts) => {
        const wire = Buffer.concat([
          rawFrame({ opcode: Opcode.Binary, payload, mask: true, fin: false }),
          rawFrame({ opcode: Opcode.Ping, payload: "p", mask: true }),
          rawFrame({ opcode: Opcode.Continuation, payload, mask: true }),
        ]);
        const { r, events } = receiver(true);
        const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
        let prev = 0;
        for (const p of [...points, wire.length]) {
          r.write(wire.subarray(prev, p));
          prev = p;
        }
        expect(events.map((e) => e.type)).toEqual(["ping", "message"]);
        expect(events[1]!.data!.equals(Buffer.concat([payload, payload]))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("assembles fragmented text with control frames interleaved, byte by byte", () => {
    const text = "héllo wörld — ✓ 🎉";
    const bytes = Buffer.from(text);
    // split inside multi-byte characters on purpose
    const parts = [bytes.subarray(0, 2), bytes.subarray(2, 13), bytes.subarray(13, 22), bytes.subarray(22)];
    const wire = Buffer.concat([
      rawFrame({ opcode: Opcode.Text, payload: parts[0], fin: false }),
      rawFrame({ opcode: Opcode.Ping, payload: "a" }),
      rawFrame({ opcode: Opcode.Continuation, payload: parts[1], fin: false }),
      rawFrame({ opcode: Opcode.Pong, payload: "b" }),
      rawFrame({ opcode: Opcode.Continuation, payload: parts[2], fin: false }),
      rawFrame({ opcode: Opcode.Continuation, payload: parts[3] }),
    ]);
    const { r, events } = receiver(false);
    for (const byte of wire) r.write(Buffer.from([byte]));
    expect(events.map((e) => e.type)).toEqual(["ping", "pong", "message"]);
    expect(events[2]!.data!.toString()).toBe(text);
    expect(events[2]!.isBinary).toBe(false);
  });

  const hostile: Array<[string, Buffer, number, ReceiverLimits?, boolean?]> = [
    ["unmasked client frame", rawFrame({ opcode: Opcode.Text, payload: "x" }), 1002, {}, true],
    ["masked server frame", rawFrame({ opcode: Opcode.Text, payload: "x", mask: true }), 1002],
    ["reserved opcode 3", rawFrame({ opcode: 3, payload: "x" }), 1002],
    ["reserved opcode 0xb", rawFrame({ opcode: 0xb }), 1002],
    ["RSV1 without extension", rawFrame({ opcode: Opcode.Text, payload: "x", rsv1: true }), 1002],
    ["RSV2", rawFrame({ opcode: Opcode.Text, payload: "x", rsv2: true }), 1002],
    ["RSV3", rawFrame({ opcode: Opcode.Text, payload: "x", rsv3: true }), 1002],
    ["continuation without start", rawFrame({ opcode: Opcode.Continuation, payload: "x" }), 1002],
    ["new message inside a fragmented one", Buffer.concat([rawFrame({ opcode: Opcode.Text, payload: "a", fin: false }), rawFrame({ opcode: Opcode.Text, payload: "b" })]), 1002],
    ["fragmented ping", rawFrame({ opcode: Opcode.Ping, payload: "x", fin: false }), 1002],
    ["ping over 125 bytes", rawFrame({ opcode: Opcode.Ping, payload: Buffer.alloc(126) }), 1002],
    ["close with one byte", rawFrame({ opcode: Opcode.Close, payload: Buffer.from([3]) }), 1002],
    ["close code 1005", rawFrame({ opcode: Opcode.Close, payload: closePayload(1005) }), 1002],
    ["close code 999", rawFrame({ opcode: Opcode.Close, payload: closePayload(999) }), 1002],
    ["close code 5000", rawFrame({ opcode: Opcode.Close, payload: closePayload(5000) }), 1002],
    ["bad UTF-8 text", rawFrame({ opcode: Opcode.Text, payload: Buffer.from([0xc3, 0x28]) }), 1007],
    ["overlong UTF-8", rawFrame({ opcode: Opcode.Text, payload: Buffer.from([0xc0, 0xaf]) }), 1007],
    ["surrogate in UTF-8", rawFrame({ opcode: Opcode.Text, payload: Buffer.from([0xed, 0xa0, 0x80]) }), 1007],
    ["text ending mid code point", rawFrame({ opcode: Opcode.Text, payload: Buffer.from([0x61, 0xe2, 0x82]) }), 1007],
    ["bad UTF-8 in close reason", rawFrame({ opcode: Opcode.Close, payload: Buffer.concat([closePayload(1000), Buffer.from([0xff])]) }), 1007],
    ["64-bit length with the top bit set", rawFrame({ opcode: Opcode.Binary, lengthBits: 64, claimedLength: 2 ** 63 }), 1002],
    ["frame over maxFrameSize", rawFrame({ opcode: Opcode.Binary, claimedLength: 2000 }), 1009, { maxFrameSize: 1000 }],
    ["message over maxMessageSize", Buffer.concat([rawFrame({ opcode: Opcode.Binary, payload: Buffer.alloc(600), fin: false }), rawFrame({ opcode: Opcode.Continuation, claimedLength: 600 })]), 1009, { maxMessageSize: 1000 }],
    ["too many fragments", Buffer.concat(Array.from({ length: 5 }, (_, i) => rawFrame({ opcode: i === 0 ? Opcode.Text : Opcode.Continuation, payload: "a", fin: false }))), 1009, { maxFragments: 4 }],
  ];

  for (const [name, wire, code, limits, isServer] of hostile) {
    it(`closes with ${code} on ${name}`, () => {
      const { r, events } = receiver(isServer ?? false, limits);
      r.write(wire);
      const errors = events.filter((e) => e.type === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]!.code).toBe(code);
      expect(events.some((e) => e.type === "message")).toBe(false);
    });
  }

  it("rejects invalid UTF-8 at the first bad fragment, before the message ends", () => {
    const { r, events } = receiver(false);
    r.write(rawFrame({ opcode: Opcode.Text, payload: "ok", fin: false }));
    r.write(rawFrame({ opcode: Opcode.Continuation, payload: Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), fin: false }));
    expect(events).toHaveLength(1);
    expect(events[0]!.code).toBe(1007);
  });

  it("reports close codes and reasons, and 1005 for an empty close", () => {
    const a = receiver(false);
    a.r.write(rawFrame({ opcode: Opcode.Close, payload: closePayload(4001, "bye ✓") }));
    expect(a.events[0]).toMatchObject({ type: "close", code: 4001 });
    expect(a.events[0]!.data!.toString()).toBe("bye ✓");
    const b = receiver(false);
    b.r.write(rawFrame({ opcode: Opcode.Close }));
    expect(b.events[0]).toMatchObject({ type: "close", code: 1005 });
    // nothing after a close frame is parsed
    b.r.write(rawFrame({ opcode: Opcode.Text, payload: "late" }));
    expect(b.events).toHaveLength(1);
  });

  it("inflates compressed messages, including ones split across frames", () => {
    const deflater = new Deflate({ raw: true });
    const chunks: Uint8Array[] = [];
    deflater.onData = (c: Uint8Array) => chunks.push(c);
    const text = "compress me ".repeat(200);
    deflater.push(Buffer.from(text), Z_SYNC_FLUSH);
    const compressed = Buffer.concat(chunks).subarray(0, -4);
    const half = compressed.length >> 1;
    const { r, events } = receiver(false, {}, new PerMessageDeflate(defaultParams, false));
    r.write(rawFrame({ opcode: Opcode.Text, payload: compressed.subarray(0, half), rsv1: true, fin: false }));
    r.write(rawFrame({ opcode: Opcode.Continuation, payload: compressed.subarray(half) }));
    expect(events).toHaveLength(1);
    expect(events[0]!.data!.toString()).toBe(text);
  });

  it("closes with 1009 on a deflate bomb without inflating it whole", () => {
    // 64 MiB of zeros compresses to about 64 KiB; the limit is 1 MiB.
    const deflater = new Deflate({ raw: true, level: 9 });
    const chunks: Uint8Array[] = [];
    deflater.onData = (c: Uint8Array) => chunks.push(c);
    const zeros = new Uint8Array(1024 * 1024);
    for (let i = 0; i < 63; i++) deflater.push(zeros, 0);
    deflater.push(zeros, Z_SYNC_FLUSH);
    const bomb = Buffer.concat(chunks).subarray(0, -4);
    expect(bomb.length).toBeLessThan(128 * 1024);
    const deflate = new PerMessageDeflate(defaultParams, false);
    const { r, events } = receiver(false, { maxMessageSize: 1024 * 1024 }, deflate);
    const before = process.memoryUsage().arrayBuffers;
    r.write(rawFrame({ opcode: Opcode.Binary, payload: bomb, rsv1: true }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "error", code: 1009 });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it("closes with 1002 on RSV1 on a continuation frame and 1007 on corrupt deflate data", () => {
    const a = receiver(false, {}, new PerMessageDeflate(defaultParams, false));
    a.r.write(rawFrame({ opcode: Opcode.Text, payload: "a", fin: false }));
    a.r.write(rawFrame({ opcode: Opcode.Continuation, payload: "b", rsv1: true }));
    expect(a.events[0]).toMatchObject({ type: "error", code: 1002 });
    const b = receiver(false, {}, new PerMessageDeflate(defaultParams, false));
    b.r.write(rawFrame({ opcode: Opcode.Binary, payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]), rsv1: true }));
    expect(b.events[0]).toMatchObject({ type: "error", code: 1007 });
  });
});
