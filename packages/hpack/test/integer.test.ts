import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HpackError, decodeInteger, encodeInteger } from "../src/index.js";

describe("integer representation (RFC 7541 §5.1)", () => {
  it("encodes the C.1 examples", () => {
    expect([...encodeInteger(10, 5)]).toEqual([0x0a]); // C.1.1
    expect([...encodeInteger(1337, 5)]).toEqual([0x1f, 0x9a, 0x0a]); // C.1.2
    expect([...encodeInteger(42, 8)]).toEqual([0x2a]); // C.1.3
  });

  it("decodes the C.1 examples and keeps the flag bits out of the value", () => {
    expect(decodeInteger(Uint8Array.of(0xea), 5)).toEqual({ value: 10, length: 1 });
    expect(decodeInteger(Uint8Array.of(0xff, 0x9a, 0x0a, 0x55), 5)).toEqual({ value: 1337, length: 3 });
    expect(decodeInteger(Uint8Array.of(0x00, 0x2a), 8, 1)).toEqual({ value: 42, length: 1 });
  });

  it("puts flags above the prefix", () => {
    expect([...encodeInteger(3, 6, 0x40)]).toEqual([0x43]);
    expect([...encodeInteger(63, 6, 0x40)]).toEqual([0x7f, 0x00]);
  });

  it("round-trips any 32-bit value at every prefix size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 8 }), (value, prefix) => {
        const bytes = encodeInteger(value, prefix);
        expect(decodeInteger(bytes, prefix)).toEqual({ value, length: bytes.length });
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects values above 2^32-1 and overlong encodings", () => {
    const over = (bytes: number[]) => () => decodeInteger(Uint8Array.from(bytes), 5);
    expect(over([0x1f, 0xff, 0xff, 0xff, 0xff, 0x0f])).toThrow(expect.objectContaining({ code: "ZP_HPACK_INTEGER_OVERFLOW" }));
    expect(over([0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])).toThrow(expect.objectContaining({ code: "ZP_HPACK_INTEGER_OVERFLOW" }));
    // 2^32 - 1 itself is fine.
    const max = encodeInteger(0xffffffff, 5);
    expect(decodeInteger(max, 5).value).toBe(0xffffffff);
    expect(() => encodeInteger(2 ** 32, 5)).toThrow(HpackError);
  });

  it("reports a truncated integer", () => {
    expect(() => decodeInteger(Uint8Array.of(0x1f, 0x9a), 5)).toThrow(expect.objectContaining({ code: "ZP_HPACK_TRUNCATED" }));
    expect(() => decodeInteger(new Uint8Array(0), 5)).toThrow(expect.objectContaining({ code: "ZP_HPACK_TRUNCATED" }));
  });
});
