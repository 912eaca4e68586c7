import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from "../src/huffman-code.js";
import { HpackError, huffmanDecode, huffmanEncode, huffmanEncodedLength } from "../src/index.js";
import { hex } from "./helpers/hex.js";

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("Huffman code (RFC 7541 Appendix B)", () => {
  it("is a complete prefix code with the RFC's codes", () => {
    let kraft = 0;
    for (const len of HUFFMAN_LENGTHS) kraft += 2 ** -len;
    expect(kraft).toBe(1);
    // Spot checks against the hex column of Appendix B.
    const expected: [number, number][] = [
      [0, 0x1ff8], [1, 0x7fffd8], [10, 0x3ffffffc], [32, 0x14], [48, 0x0], [97, 0x3], [122, 0x7b],
      [127, 0xffffffc], [128, 0xfffe6], [200, 0x3ffffe2], [254, 0x7fffff0], [255, 0x3ffffee], [256, 0x3fffffff],
    ];
    for (const [sym, code] of expected) expect(HUFFMAN_CODES[sym], `symbol ${sym}`).toBe(code);
  });

  it("codes the C.4 strings", () => {
    expect(Buffer.from(huffmanEncode("www.example.com"))).toEqual(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"));
    expect(Buffer.from(huffmanEncode("no-cache"))).toEqual(hex("a8eb 1064 9cbf"));
    expect(Buffer.from(huffmanEncode("custom-value"))).toEqual(hex("25a8 49e9 5bb8 e8b4 bf"));
    expect(huffmanDecode(hex("25a8 49e9 5ba9 7d7f"))).toBe("custom-key");
    expect(huffmanDecode(hex("d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"))).toBe("Mon, 21 Oct 2013 20:13:21 GMT");
  });

  it("round-trips arbitrary byte strings", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const str = latin1(bytes);
        const coded = huffmanEncode(str);
        expect(coded.length).toBe(huffmanEncodedLength(str));
        expect(huffmanDecode(coded)).toBe(str);
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects EOS inside a string", () => {
    // 'a' (00011) then EOS (30 ones), padded with ones: 00011111 ... 1111111
    expect(() => huffmanDecode(hex("1f ff ff ff ff"))).toThrow(expect.objectContaining({ code: "ZP_HPACK_EOS_IN_STRING" }));
  });

  it("rejects padding longer than 7 bits", () => {
    // "a" = 00011 + 111 fills one byte; an extra 0xff byte is 8 more padding bits.
    expect(huffmanDecode(hex("1f"))).toBe("a");
    expect(() => huffmanDecode(hex("1f ff"))).toThrow(expect.objectContaining({ code: "ZP_HPACK_BAD_PADDING" }));
  });

  it("rejects padding that is not all ones", () => {
    // 'a' 00011 followed by 000 is the start of another code, not padding.
    expect(() => huffmanDecode(hex("18"))).toThrow(expect.objectContaining({ code: "ZP_HPACK_BAD_PADDING" }));
    expect(() => huffmanDecode(hex("1e"))).toThrow(expect.objectContaining({ code: "ZP_HPACK_BAD_PADDING" }));
  });

  it("refuses chars above U+00FF", () => {
    expect(() => huffmanEncodedLength("caf\u00e9\u20ac")).toThrow(HpackError);
    expect(huffmanDecode(huffmanEncode("caf\u00e9"))).toBe("caf\u00e9");
  });
});
