import fc from "fast-check";
import { isUtf8 } from "node:buffer";
import { inflateRawSync, constants } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PerMessageDeflate, Utf8Validator, type DeflateParams } from "../src/index.js";

const params = (p: Partial<DeflateParams> = {}): DeflateParams => ({
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
  ...p,
});

function roundTrip(sender: PerMessageDeflate, receiver: PerMessageDeflate, data: Buffer): Buffer {
  const compressed = sender.compress(data);
  receiver.beginMessage(1 << 26);
  receiver.push(compressed);
  const { chunks } = receiver.endMessage();
  return Buffer.concat(chunks);
}

describe("PerMessageDeflate", () => {
  it("round trips messages, empty ones included, with context takeover", () => {
    const server = new PerMessageDeflate(params(), true);
    const client = new PerMessageDeflate(params(), false);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 500 }).map((s) => s.repeat(3))), { maxLength: 20 }), (messages) => {
        for (const m of messages) {
          const data = Buffer.from(m);
          expect(roundTrip(server, client, data).equals(data)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("produces a stream node's zlib reads as one raw deflate stream (context takeover)", () => {
    const server = new PerMessageDeflate(params(), true);
    const messages = ["first message ".repeat(40), "", "second message ".repeat(40), "x"].map((s) => Buffer.from(s));
    const wire = Buffer.concat(messages.flatMap((m) => [server.compress(m), Buffer.from([0, 0, 0xff, 0xff])]));
    const out = inflateRawSync(wire, { finishFlush: constants.Z_SYNC_FLUSH });
    expect(out.equals(Buffer.concat(messages))).toBe(true);
  });

  it("makes every message independent with no_context_takeover", () => {
    const server = new PerMessageDeflate(params({ serverNoContextTakeover: true }), true);
    const repeated = Buffer.from("the same text again and again ".repeat(20));
    const first = server.compress(repeated);
    const second = server.compress(repeated);
    expect(second.equals(first)).toBe(true); // no back-references into the previous message
    expect(inflateRawSync(Buffer.concat([second, Buffer.from([0, 0, 0xff, 0xff])]), { finishFlush: constants.Z_SYNC_FLUSH }).equals(repeated)).toBe(true);
    const withContext = new PerMessageDeflate(params(), true);
    withContext.compress(repeated);
    expect(withContext.compress(repeated).length).toBeLessThan(first.length);
  });

  it("compresses with a limited window when negotiated", () => {
    const server = new PerMessageDeflate(params({ serverMaxWindowBits: 9 }), true);
    const client = new PerMessageDeflate(params({ serverMaxWindowBits: 9 }), false);
    const data = Buffer.from(Array.from({ length: 2000 }, (_, i) => `w${i % 97} `).join(""));
    expect(roundTrip(server, client, data).equals(data)).toBe(true);
  });
});

describe("Utf8Validator", () => {
  it("agrees with isUtf8 for any split of any bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "grapheme" }).map((s) => Buffer.from(s)), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b))),
        fc.array(fc.nat(60), { maxLength: 5 }),
        (bytes, cuts) => {
          const v = new Utf8Validator();
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          let prev = 0;
          let ok = true;
          for (const p of [...points, bytes.length]) {
            ok = v.push(bytes.subarray(prev, p)) && ok;
            prev = p;
            if (!ok) break;
          }
          if (ok) ok = v.end();
          expect(ok).toBe(isUtf8(bytes));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("rejects an invalid prefix as soon as it arrives", () => {
    const v = new Utf8Validator();
    expect(v.push(Buffer.from([0xed]))).toBe(true); // could still be valid
    expect(v.push(Buffer.from([0xa0]))).toBe(false); // ED A0 starts a surrogate
    const w = new Utf8Validator();
    expect(w.push(Buffer.from([0xf5]))).toBe(false);
  });
});
