import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decoder, Encoder, HpackError, type HeaderInput } from "../src/index.js";
import { hpackJsDecoder } from "./helpers/hpack-js.js";

const latin1String = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b).toString("latin1"));
// Names drawn partly from well-known ones so table matches, policies and evictions all happen.
const name = fc.oneof(
  fc.constantFrom(":path", ":method", ":authority", "cookie", "set-cookie", "authorization", "content-length", "accept", "x-custom"),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
);
const value = fc.oneof(fc.constantFrom("", "GET", "/", "200", "gzip, deflate"), latin1String(80), fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")));
const field: fc.Arbitrary<HeaderInput> = fc.tuple(name, value, fc.boolean()).map(([n, v, s]) => (s ? [n, v, true] : [n, v]));
const blocks = fc.array(fc.array(field, { maxLength: 12 }), { minLength: 1, maxLength: 8 });

describe("properties", () => {
  it("random header lists round-trip through our decoder and hpack.js's", () => {
    fc.assert(
      fc.property(blocks, fc.constantFrom(4096, 256, 100, 0), fc.constantFrom("shorter", "always", "never"), (lists, size, huffman) => {
        const encoder = new Encoder({ huffman: huffman as "shorter" });
        if (size !== 4096) encoder.setMaxTableSize(size);
        const decoder = new Decoder();
        const theirs = hpackJsDecoder();
        for (const list of lists) {
          const block = encoder.encode(list);
          const sensitive: boolean[] = [];
          const expected = list.map(([n, v]) => [n, v]);
          expect(decoder.decode(block, sensitive)).toEqual(expected);
          expect(theirs(block)).toEqual(expected);
          list.forEach((f, i) => {
            if (f[2] === true) expect(sensitive[i]).toBe(true);
          });
          expect(decoder.tableSize).toBe(encoder.tableSize);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("random bytes never make the decoder throw anything but HpackError", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 4 }), (inputs) => {
        const decoder = new Decoder({ maxHeaderListSize: 2048, maxStringLength: 512 });
        for (const bytes of inputs) {
          try {
            const out = decoder.decode(bytes);
            expect(Array.isArray(out)).toBe(true);
          } catch (err) {
            if (!(err instanceof HpackError)) throw err;
            if (err.compressionError) return; // the connection would end here
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("mutated valid blocks only ever throw HpackError", () => {
    const encoder = new Encoder();
    const valid = encoder.encode([
      [":method", "GET"],
      [":path", "/index.html?q=1"],
      ["user-agent", "Mozilla/5.0 (X11; Linux x86_64)"],
      ["cookie", "session=abcdefghijklmnopqrstuvwxyz"],
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat({ max: valid.length }), (at, byte, cut) => {
        const bytes = Buffer.from(valid);
        bytes[at] = byte;
        try {
          new Decoder().decode(bytes.subarray(0, cut));
        } catch (err) {
          expect(err).toBeInstanceOf(HpackError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
