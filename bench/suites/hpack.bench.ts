import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Decoder, Encoder, type HeaderPair } from "@zp/hpack";
import { compare, printTable } from "../lib/compare.js";

// The hpack-test-case stories shipped with @zp/hpack: raw-data header lists to encode, and the
// nghttp2 encodings of the same stories to decode. One op = every block of every story, in order,
// with a fresh compression context per story (as on a fresh connection).
const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "packages", "hpack", "test", "fixtures", "hpack-test-case");

interface StoryJson {
  cases: { headers: Record<string, string>[]; wire?: string }[];
}
function load(dir: string): StoryJson[] {
  return readdirSync(join(fixtures, dir))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(fixtures, dir, f), "utf8")) as StoryJson);
}

const rawStories: HeaderPair[][][] = load("raw-data").map((s) => s.cases.map((c) => c.headers.map((h) => Object.entries(h)[0] as HeaderPair)));
const nghttp2Stories: Buffer[][] = load("nghttp2").map((s) => s.cases.map((c) => Buffer.from(c.wire!, "hex")));
// hpack.js takes { name, value } objects; build them once so both sides start from ready input.
const rawObjects = rawStories.map((story) => story.map((list) => list.map(([name, value]) => ({ name, value }))));

// hpack.js reads its table limit from `maxSize` (a `size` key is ignored and leaves it unbounded).
interface HpackJsCompressor {
  write(headers: { name: string; value: string }[]): void;
  read(): Buffer | null;
}
interface HpackJsDecompressor {
  write(block: Buffer): void;
  execute(): void;
  read(): { name: string; value: string } | null;
}
const hpackJs = createRequire(import.meta.url)("hpack.js") as {
  compressor: { create(o: { table: { maxSize: number } }): HpackJsCompressor };
  decompressor: { create(o: { table: { maxSize: number } }): HpackJsDecompressor };
};

let sink = 0;

function encodeOurs(): number {
  let bytes = 0;
  for (const story of rawStories) {
    const encoder = new Encoder();
    for (const list of story) bytes += encoder.encode(list).length;
  }
  return bytes;
}

function encodeHpackJs(): number {
  let bytes = 0;
  for (const story of rawObjects) {
    const comp = hpackJs.compressor.create({ table: { maxSize: 4096 } });
    for (const list of story) {
      comp.write(list);
      for (let chunk = comp.read(); chunk !== null; chunk = comp.read()) bytes += chunk.length;
    }
  }
  return bytes;
}

function decodeOurs(): void {
  for (const story of nghttp2Stories) {
    const decoder = new Decoder();
    for (const block of story) sink += decoder.decode(block).length;
  }
}

function decodeHpackJs(): void {
  for (const story of nghttp2Stories) {
    const decomp = hpackJs.decompressor.create({ table: { maxSize: 4096 } });
    for (const block of story) {
      decomp.write(block);
      decomp.execute();
      for (let h = decomp.read(); h !== null; h = decomp.read()) sink++;
    }
  }
}

// Compression: bytes on the wire for the same header lists.
const plain = rawStories.flat(2).reduce((n, [name, value]) => n + name.length + value.length, 0);
const blocks = rawStories.reduce((n, s) => n + s.length, 0);
const nghttp2Bytes = nghttp2Stories.flat().reduce((n, b) => n + b.length, 0);
const ratioRows = [
  ["encoder", "bytes", "of plain", "vs nghttp2"],
  ["plain (name + value)", String(plain), "100.0%", ""],
  ["nghttp2 (fixtures)", String(nghttp2Bytes), `${((100 * nghttp2Bytes) / plain).toFixed(1)}%`, "1.000"],
  ["@zp/hpack", String(encodeOurs()), `${((100 * encodeOurs()) / plain).toFixed(1)}%`, (encodeOurs() / nghttp2Bytes).toFixed(3)],
  ["hpack.js", String(encodeHpackJs()), `${((100 * encodeHpackJs()) / plain).toFixed(1)}%`, (encodeHpackJs() / nghttp2Bytes).toFixed(3)],
];
printTable(`hpack compression of ${rawStories.length} raw-data stories (${blocks} header blocks)`, ratioRows);

await compare("hpack", [
  {
    name: `encode ${blocks} blocks (raw-data)`,
    ours: { name: "@zp/hpack", fn: encodeOurs },
    theirs: [{ name: "hpack.js", fn: encodeHpackJs }],
  },
  {
    name: `decode ${blocks} blocks (nghttp2 wire)`,
    ours: { name: "@zp/hpack", fn: decodeOurs },
    theirs: [{ name: "hpack.js", fn: decodeHpackJs }],
  },
]);
if (sink < 0) console.log(sink);
