import { describe, expect, it } from "vitest";
import { Decoder, H2_COMPRESSION_ERROR, HpackError, encodeInteger } from "../src/index.js";
import { hex } from "./helpers/hex.js";

function decodeError(decoder: Decoder, block: Uint8Array): HpackError {
  try {
    decoder.decode(block);
  } catch (err) {
    expect(err).toBeInstanceOf(HpackError);
    return err as HpackError;
  }
  throw new Error("decode did not throw");
}

const code = (block: Uint8Array, decoder = new Decoder()) => decodeError(decoder, block).code;

describe("Decoder errors", () => {
  it("rejects index 0 and indices beyond the tables", () => {
    expect(code(hex("80"))).toBe("ZP_HPACK_BAD_INDEX");
    expect(code(hex("be"))).toBe("ZP_HPACK_BAD_INDEX"); // 62 with an empty dynamic table
    expect(code(hex("7e 01 61"))).toBe("ZP_HPACK_BAD_INDEX"); // literal whose name index is 62
    const err = decodeError(new Decoder(), hex("80"));
    expect(err.compressionError).toBe(true);
    expect(err.h2ErrorCode).toBe(H2_COMPRESSION_ERROR);
  });

  it("rejects integer overflow", () => {
    expect(code(hex("ff ff ff ff ff 7f"))).toBe("ZP_HPACK_INTEGER_OVERFLOW");
  });

  it("rejects truncated blocks", () => {
    expect(code(hex("ff"))).toBe("ZP_HPACK_TRUNCATED"); // integer
    expect(code(hex("40"))).toBe("ZP_HPACK_TRUNCATED"); // no name string
    expect(code(hex("40 03 61 62"))).toBe("ZP_HPACK_TRUNCATED"); // name shorter than its length
    expect(code(hex("41"))).toBe("ZP_HPACK_TRUNCATED"); // no value string
  });

  it("rejects bad Huffman padding and EOS in strings", () => {
    expect(code(hex("41 82 1f ff"))).toBe("ZP_HPACK_BAD_PADDING");
    expect(code(hex("41 81 18"))).toBe("ZP_HPACK_BAD_PADDING");
    expect(code(hex("41 85 1f ff ff ff ff"))).toBe("ZP_HPACK_EOS_IN_STRING");
  });

  it("rejects size updates above the limit or after a field", () => {
    expect(code(Buffer.concat([encodeInteger(4097, 5, 0x20)]))).toBe("ZP_HPACK_TABLE_SIZE_UPDATE_TOO_LARGE");
    expect(code(hex("82 20"))).toBe("ZP_HPACK_TABLE_SIZE_UPDATE_AFTER_HEADER");
    expect(code(Buffer.concat([encodeInteger(300, 5, 0x20)]), new Decoder({ maxTableSize: 256 }))).toBe(
      "ZP_HPACK_TABLE_SIZE_UPDATE_TOO_LARGE",
    );
  });

  it("applies size updates at the start of a later block and evicts", () => {
    const decoder = new Decoder();
    decoder.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    expect(decoder.tableSize).toBe(55);
    // Two updates in one block (lowest then final): the table is emptied, then may grow again.
    expect(decoder.decode(hex("20 3f e1 1f 82"))).toEqual([[":method", "GET"]]);
    expect(decoder.tableSize).toBe(0);
    expect(decoder.maxTableSize).toBe(4096);
    expect(code(hex("be"), decoder)).toBe("ZP_HPACK_BAD_INDEX");
  });

  it("requires a size update after the SETTINGS limit was lowered", () => {
    const decoder = new Decoder();
    decoder.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    decoder.setMaxTableSize(100);
    expect(decoder.maxTableSize).toBe(100);
    expect(code(hex("82"), decoder)).toBe("ZP_HPACK_TABLE_SIZE_UPDATE_MISSING");

    const ok = new Decoder();
    ok.setMaxTableSize(100);
    expect(ok.decode(Buffer.concat([encodeInteger(100, 5, 0x20), hex("82")]))).toEqual([[":method", "GET"]]);
    expect(ok.decode(hex("82"))).toEqual([[":method", "GET"]]); // only the next block needs it
    expect(code(Buffer.concat([encodeInteger(101, 5, 0x20)]), ok)).toBe("ZP_HPACK_TABLE_SIZE_UPDATE_TOO_LARGE");
  });

  it("limits string lengths, before and after Huffman decoding", () => {
    const decoder = new Decoder({ maxStringLength: 4 });
    expect(decoder.decode(hex("41 04 61 62 63 64"))).toEqual([[":authority", "abcd"]]);
    expect(code(hex("41 05 61 62 63 64 65"), decoder)).toBe("ZP_HPACK_STRING_TOO_LONG");
    // "aaaaaa" Huffman-coded is 4 bytes but decodes to 6.
    expect(code(hex("41 84 18 c6 31 8f"), new Decoder({ maxStringLength: 5 }))).toBe("ZP_HPACK_STRING_TOO_LONG");
    expect(code(hex("41 7f 80 80 04"))).toBe("ZP_HPACK_STRING_TOO_LONG");
  });

  it("limits the header list size but keeps the table in step", () => {
    const decoder = new Decoder({ maxHeaderListSize: 100 });
    // custom-key: custom-header is 55; twice is 110 > 100 (the second one by index).
    const err = decodeError(decoder, hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572 be"));
    expect(err.code).toBe("ZP_HPACK_HEADER_LIST_TOO_LARGE");
    expect(err.compressionError).toBe(false);
    expect(err.h2ErrorCode).toBeUndefined();
    expect(decoder.tableSize).toBe(55);
    expect(decoder.decode(hex("be"))).toEqual([["custom-key", "custom-header"]]);
  });

  it("reports never-indexed fields in the parallel array", () => {
    const sensitive: boolean[] = [true, true, true];
    const decoder = new Decoder();
    expect(decoder.decode(hex("82 1008 7061 7373 776f 7264 0673 6563 7265 74 040c 2f73 616d 706c 652f 7061 7468"), sensitive)).toEqual([
      [":method", "GET"],
      ["password", "secret"],
      [":path", "/sample/path"],
    ]);
    expect(sensitive).toEqual([false, true, false]);
  });

  it("decodes an empty block and accepts Uint8Array views", () => {
    const decoder = new Decoder();
    expect(decoder.decode(new Uint8Array(0))).toEqual([]);
    const backing = new Uint8Array([0xff, 0x82, 0x84, 0xff]);
    expect(decoder.decode(backing.subarray(1, 3))).toEqual([
      [":method", "GET"],
      [":path", "/"],
    ]);
  });

  it("keeps bytes as latin1 unless asked to validate", () => {
    // Name "Upper" and a value with a CR.
    const block = hex("00 05 55 70 70 65 72 02 61 0d");
    expect(new Decoder().decode(block)).toEqual([["Upper", "a\r"]]);
    const strict = new Decoder({ validate: true });
    const err = decodeError(strict, block);
    expect(err.code).toBe("ZP_HPACK_INVALID_HEADER_NAME");
    expect(err.compressionError).toBe(false);
    expect(code(hex("00 01 61 02 61 0d"), strict)).toBe("ZP_HPACK_INVALID_HEADER_VALUE");
    expect(strict.decode(hex("00 01 61 02 61 62 82"))).toEqual([["a", "ab"], [":method", "GET"]]);
  });
});
