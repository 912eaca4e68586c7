import { describe, expect, it } from "vitest";
import { Decoder, Encoder, HpackError, type HeaderInput } from "../src/index.js";
import { hpackJsDecoder } from "./helpers/hpack-js.js";

/** Encodes, decodes with a fresh decoder, and returns the representation flags seen. */
function roundTrip(headers: HeaderInput[], encoder = new Encoder()): { block: Buffer; sensitive: boolean[] } {
  const block = encoder.encode(headers);
  const sensitive: boolean[] = [];
  expect(new Decoder({ maxHeaderListSize: 1 << 20 }).decode(block, sensitive)).toEqual(headers.map(([n, v]) => [n, v]));
  return { block, sensitive };
}

describe("Encoder representation choices", () => {
  it("never indexes credentials, set-cookie and short cookies", () => {
    const { block, sensitive } = roundTrip([
      ["authorization", "Bearer abc"],
      ["proxy-authorization", "Basic xyz"],
      ["set-cookie", "id=1; Path=/; HttpOnly; Secure; SameSite=Lax"],
      ["cookie", "id=1"],
      ["cookie", "a-long-cookie-value-of-many-bytes"],
    ]);
    expect(sensitive).toEqual([true, true, true, true, false]);
    // Names still come from the static table: authorization is index 23 -> 0x1f 0x08 (4-bit prefix).
    expect(block.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x08]));
  });

  it("honours the per-field sensitive flag, even for fields already in a table", () => {
    const encoder = new Encoder();
    encoder.encode([["x-token", "secret-value"]]);
    expect(encoder.tableSize).toBe(7 + 12 + 32);
    const { sensitive, block } = roundTrip([[":method", "GET", true]], encoder);
    expect(sensitive).toEqual([true]);
    expect(block[0]).toBe(0x12); // never indexed, name index 2
    const again = encoder.encode([["x-token", "secret-value", true]]);
    expect(again[0]).toBe(0x1f); // never indexed, name from the dynamic table (index 62)
  });

  it("indexes repeated fields and refers to them by index next time", () => {
    const encoder = new Encoder();
    const first = encoder.encode([["x-request-kind", "interactive"]]);
    expect(first[0]).toBe(0x40);
    expect(encoder.encode([["x-request-kind", "interactive"]])).toEqual(Buffer.from([0xbe]));
    // Static exact matches are plain indices too.
    expect(encoder.encode([[":method", "GET"], [":status", "200"]])).toEqual(Buffer.from([0x82, 0x88]));
  });

  it("does not index values that change every message", () => {
    const encoder = new Encoder();
    const longPath = `/assets/${"x".repeat(40)}.js`;
    encoder.encode([
      ["content-length", "1234"],
      ["etag", '"abc"'],
      [":path", longPath],
    ]);
    expect(encoder.tableSize).toBe(0);
    encoder.encode([[":path", "/short"]]);
    expect(encoder.tableSize).toBe(5 + 6 + 32);
  });

  it("does not index a field larger than 3/4 of the table", () => {
    const encoder = new Encoder({ maxTableSize: 256 });
    roundTrip([["x-big", "v".repeat(200)]], encoder);
    expect(encoder.tableSize).toBe(0);
  });

  it("uses Huffman only when shorter", () => {
    const encoder = new Encoder();
    const block = encoder.encode([["aaaa", "307"]]); // "307" Huffman-codes to 3 bytes: no gain
    expect(block[1]).toBe(0x83); // "aaaa" is 4 bytes raw, 3 coded
    expect(block[5]).toBe(0x03); // value raw, length 3
    expect(block.subarray(6).toString("latin1")).toBe("307");
    expect(new Encoder({ huffman: "never" }).encode([["aaaa", "x"]])[1]).toBe(0x04);
  });

  it("signals table size changes at the start of the next block (lowest, then final)", () => {
    const encoder = new Encoder();
    const decoder = new Decoder();
    decoder.decode(encoder.encode([["x-one", "1"]]));
    encoder.setMaxTableSize(0);
    encoder.setMaxTableSize(2048);
    expect(encoder.tableSize).toBe(0);
    const block = encoder.encode([[":method", "GET"]]);
    // 0x20 (update to 0), then 2048 with a 5-bit prefix: 3f e1 0f, then the field.
    expect(block).toEqual(Buffer.from([0x20, 0x3f, 0xe1, 0x0f, 0x82]));
    expect(decoder.decode(block)).toEqual([[":method", "GET"]]);
    expect(decoder.maxTableSize).toBe(2048);
    expect(encoder.encode([[":method", "GET"]])).toEqual(Buffer.from([0x82])); // only once
    encoder.setMaxTableSize(1024);
    expect(encoder.encode([])).toEqual(Buffer.from([0x3f, 0xe1, 0x07]));
  });

  it("keeps working with a zero-size table", () => {
    const encoder = new Encoder();
    encoder.setMaxTableSize(0);
    const decoder = new Decoder();
    const theirs = hpackJsDecoder();
    for (let i = 0; i < 3; i++) {
      const block = encoder.encode([["x-n", String(i)], [":path", "/"]]);
      expect(decoder.decode(block)).toEqual([["x-n", String(i)], [":path", "/"]]);
      expect(theirs(block)).toEqual([["x-n", String(i)], [":path", "/"]]);
    }
    expect(encoder.tableSize).toBe(0);
  });

  it("encodes large blocks by growing its buffer", () => {
    const headers: HeaderInput[] = Array.from({ length: 200 }, (_, i) => [`x-h${i}`, "v".repeat(i * 10)]);
    roundTrip(headers);
  });

  it("rejects chars that are not one byte and bad sizes", () => {
    expect(() => new Encoder().encode([["x", "\u20ac"]])).toThrow(HpackError);
    expect(() => new Encoder().setMaxTableSize(-1)).toThrow(expect.objectContaining({ code: "ZP_HPACK_INVALID_INPUT" }));
  });
});
