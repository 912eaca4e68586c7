import { createRequire } from "node:module";
import type { HeaderPair } from "../../src/index.js";

interface HpackJsDecompressor {
  write(block: Uint8Array): void;
  execute(): void;
  read(): { name: string; value: string; neverIndex: boolean } | null;
}

const hpackJs = createRequire(import.meta.url)("hpack.js") as {
  decompressor: { create(options: { table: { maxSize: number } }): HpackJsDecompressor };
};

/**
 * hpack.js's streaming decompressor with a 4096-byte table, as a function from block to pairs.
 * Its table option is `maxSize`: with `{ size }` it ignores the limit, never evicts and rejects
 * every size update.
 */
export function hpackJsDecoder(): (block: Uint8Array) => HeaderPair[] {
  const d = hpackJs.decompressor.create({ table: { maxSize: 4096 } });
  return (block) => {
    d.write(block);
    d.execute();
    const out: HeaderPair[] = [];
    for (let h = d.read(); h !== null; h = d.read()) out.push([h.name, h.value]);
    return out;
  };
}
