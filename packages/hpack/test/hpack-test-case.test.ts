import { describe, expect, it } from "vitest";
import { Decoder, Encoder } from "../src/index.js";
import { encodedDirs, loadStories } from "./helpers/fixtures.js";
import { hpackJsDecoder } from "./helpers/hpack-js.js";

// Every story of https://github.com/http2jp/hpack-test-case (copied under test/fixtures).
describe.each(encodedDirs())("hpack-test-case %s", (dir) => {
  const stories = loadStories(dir);

  it("has the full set of stories", () => {
    expect(stories.length).toBeGreaterThanOrEqual(31);
  });

  it("decodes every case of every story with one decoder per story", () => {
    let blocks = 0;
    for (const story of stories) {
      const decoder = new Decoder();
      for (const [i, c] of story.cases.entries()) {
        if (c.header_table_size !== undefined) decoder.setMaxTableSize(c.header_table_size);
        const got = decoder.decode(Buffer.from(c.wire!, "hex"));
        expect(got, `${dir}/${story.file} case ${i}`).toEqual(c.headers);
        blocks++;
      }
    }
    expect(blocks).toBeGreaterThan(1000);
  });
});

describe("round trip of the raw-data stories", () => {
  const stories = loadStories("raw-data");

  it("decodes our encoding with our decoder and with hpack.js", () => {
    let blocks = 0;
    for (const story of stories) {
      const encoder = new Encoder();
      const ours = new Decoder();
      const theirs = hpackJsDecoder();
      for (const [i, c] of story.cases.entries()) {
        const block = encoder.encode(c.headers);
        expect(ours.decode(block), `${story.file} case ${i}`).toEqual(c.headers);
        expect(theirs(block), `${story.file} case ${i} (hpack.js)`).toEqual(c.headers);
        blocks++;
      }
      expect(encoder.tableSize).toBe(ours.tableSize);
    }
    expect(blocks).toBeGreaterThan(1000);
  });

  it("stays in step when the table size changes between blocks", () => {
    const sizes = [4096, 1024, 0, 2048, 256, 4096];
    for (const story of stories.slice(0, 8)) {
      const encoder = new Encoder();
      const decoder = new Decoder();
      const theirs = hpackJsDecoder();
      story.cases.forEach((c, i) => {
        if (i % 5 === 4) {
          const size = sizes[Math.floor(i / 5) % sizes.length]!;
          encoder.setMaxTableSize(Math.min(size, 1024));
          encoder.setMaxTableSize(size);
        }
        const block = encoder.encode(c.headers);
        expect(decoder.decode(block)).toEqual(c.headers);
        expect(theirs(block)).toEqual(c.headers);
        expect(decoder.tableSize).toBe(encoder.tableSize);
      });
    }
  });
});
