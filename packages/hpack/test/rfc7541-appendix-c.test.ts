import { describe, expect, it } from "vitest";
import { Decoder, Encoder, type HeaderPair } from "../src/index.js";
import { hex } from "./helpers/hex.js";

// RFC 7541 Appendix C: every example, decoded (with table sizes checked) and re-encoded byte for byte.
const requests: HeaderPair[][] = [
  [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]],
  [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"], ["cache-control", "no-cache"]],
  [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [":authority", "www.example.com"], ["custom-key", "custom-value"]],
];
const responses: HeaderPair[][] = [
  [[":status", "302"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], ["location", "https://www.example.com"]],
  [[":status", "307"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], ["location", "https://www.example.com"]],
  [
    [":status", "200"],
    ["cache-control", "private"],
    ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
    ["location", "https://www.example.com"],
    ["content-encoding", "gzip"],
    ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
  ],
];

const sequences = [
  {
    section: "C.3 requests without Huffman",
    tableSize: 4096,
    huffman: "never" as const,
    lists: requests,
    tableSizes: [57, 110, 164],
    blocks: [
      "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "8286 84be 5808 6e6f 2d63 6163 6865",
      "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    ],
  },
  {
    section: "C.4 requests with Huffman",
    tableSize: 4096,
    huffman: "always" as const,
    lists: requests,
    tableSizes: [57, 110, 164],
    blocks: [
      "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
      "8286 84be 5886 a8eb 1064 9cbf",
      "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    ],
  },
  {
    section: "C.5 responses without Huffman",
    tableSize: 256,
    huffman: "never" as const,
    lists: responses,
    tableSizes: [222, 222, 215],
    blocks: [
      "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "4803 3330 37c1 c0bf",
      "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
    ],
  },
  {
    section: "C.6 responses with Huffman",
    tableSize: 256,
    huffman: "always" as const,
    lists: responses,
    tableSizes: [222, 222, 215],
    blocks: [
      "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
      "4883 640e ffc1 c0bf",
      "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    ],
  },
];

describe("RFC 7541 C.2 single representations", () => {
  const cases: { name: string; block: string; field: HeaderPair; sensitive: boolean; tableSize: number }[] = [
    {
      name: "C.2.1 literal with indexing",
      block: "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
      field: ["custom-key", "custom-header"],
      sensitive: false,
      tableSize: 55,
    },
    { name: "C.2.2 literal without indexing", block: "040c 2f73 616d 706c 652f 7061 7468", field: [":path", "/sample/path"], sensitive: false, tableSize: 0 },
    { name: "C.2.3 literal never indexed", block: "1008 7061 7373 776f 7264 0673 6563 7265 74", field: ["password", "secret"], sensitive: true, tableSize: 0 },
    { name: "C.2.4 indexed", block: "82", field: [":method", "GET"], sensitive: false, tableSize: 0 },
  ];
  for (const c of cases) {
    it(`decodes ${c.name}`, () => {
      const decoder = new Decoder();
      const sensitive: boolean[] = [];
      expect(decoder.decode(hex(c.block), sensitive)).toEqual([c.field]);
      expect(sensitive).toEqual([c.sensitive]);
      expect(decoder.tableSize).toBe(c.tableSize);
    });
  }

  it("encodes C.2.1, C.2.3 and C.2.4 byte for byte", () => {
    expect(new Encoder({ huffman: "never" }).encode([["custom-key", "custom-header"]])).toEqual(hex(cases[0]!.block));
    expect(new Encoder({ huffman: "never" }).encode([["password", "secret", true]])).toEqual(hex(cases[2]!.block));
    expect(new Encoder().encode([[":method", "GET"]])).toEqual(hex("82"));
  });
});

for (const seq of sequences) {
  describe(`RFC 7541 ${seq.section}`, () => {
    it("decodes every block in order, with the RFC's table sizes", () => {
      const decoder = new Decoder({ maxTableSize: seq.tableSize });
      seq.blocks.forEach((block, i) => {
        expect(decoder.decode(hex(block))).toEqual(seq.lists[i]);
        expect(decoder.tableSize).toBe(seq.tableSizes[i]);
      });
    });

    it("encodes every list to the RFC's bytes", () => {
      // The RFC indexes every literal, set-cookie included: switch the built-in rules off.
      const encoder = new Encoder({ maxTableSize: seq.tableSize, huffman: seq.huffman, builtinRules: false });
      seq.lists.forEach((list, i) => {
        expect(encoder.encode(list).toString("hex")).toBe(hex(seq.blocks[i]!).toString("hex"));
        expect(encoder.tableSize).toBe(seq.tableSizes[i]);
      });
    });
  });
}
