import * as zlib from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "../src/index.js";

const zlibCrc32 = (data: Uint8Array, previous = 0): number => zlib.crc32(data, previous);

describe("crc32", () => {
  it("matches the published check values", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
    expect(crc32("The quick brown fox jumps over the lazy dog")).toBe(0x414fa339);
  });

  it("agrees with zlib for every length around the 4- and 8-byte slices", () => {
    const bytes = new Uint8Array(70).map((_, i) => (i * 151 + 7) & 0xff);
    for (let n = 0; n <= bytes.length; n++) {
      const part = bytes.subarray(0, n);
      expect(crc32(part)).toBe(zlibCrc32(part));
      // Offsets into a larger buffer must not leak the bytes around the view.
      expect(crc32(bytes.subarray(3, 3 + Math.min(n, 67)))).toBe(zlibCrc32(bytes.slice(3, 3 + Math.min(n, 67))));
    }
  });

  it("agrees with zlib on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(crc32(data)).toBe(zlibCrc32(data));
      }),
    );
  });

  it("hashes strings as their UTF-8 bytes, lone surrogates as U+FFFD", () => {
    const samples = ["/a/b?c=d", "héllo", "日本語のパス", "emoji 😀 pair", "lone \ud800 high", "lone \udc00 low", "end \ud83d", "€"];
    for (const s of samples) expect(crc32(s)).toBe(zlibCrc32(Buffer.from(s, "utf8")));
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
        expect(crc32(s)).toBe(zlibCrc32(Buffer.from(s, "utf8")));
      }),
    );
  });

  it("continues from a previous CRC like zlib.crc32(data, value)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        const whole = Buffer.concat([Buffer.from(a, "utf8"), b]);
        expect(crc32(b, crc32(a))).toBe(zlibCrc32(whole));
        expect(crc32(b, crc32(a))).toBe(zlibCrc32(b, zlibCrc32(Buffer.from(a, "utf8"))));
      }),
    );
  });
});
