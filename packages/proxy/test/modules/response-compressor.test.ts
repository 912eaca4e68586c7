import { randomBytes } from "node:crypto";
import zlib from "node:zlib";
import { ResponseHeader } from "@zp/http";
import { HttpServer } from "@zp/http-server";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { CompressionPolicy, type ContentEncoding, ModuleError, ResponseCompressor } from "../../src/modules/index.js";

function decompress(encoding: ContentEncoding, data: Buffer): Buffer {
  return encoding === "gzip" ? zlib.gunzipSync(data) : zlib.brotliDecompressSync(data);
}

/** Decodes a stream that was flushed but not finished (what a client has mid-response). */
function decompressPartial(encoding: ContentEncoding, data: Buffer): Buffer {
  return encoding === "gzip"
    ? zlib.gunzipSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH })
    : zlib.brotliDecompressSync(data, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
}

/** Text-like bytes (compressible) or random bytes. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 40_000 }),
  fc.string({ maxLength: 20_000 }).map((s) => new TextEncoder().encode(s.repeat(3))),
);

/** Splits `data` at the given cut points. */
function chunksOf(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    out.push(data.subarray(start, p));
    start = p;
  }
  out.push(data.subarray(start));
  return out;
}

const encodings: ContentEncoding[] = ["gzip", "br"];

describe("ResponseCompressor", () => {
  for (const encoding of encodings) {
    it(`${encoding}: round-trips random bodies and chunkings byte for byte, flushed after every chunk`, async () => {
      await fc.assert(
        fc.asyncProperty(body, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), async (data, cuts) => {
          const compressor = new ResponseCompressor(encoding);
          const parts: Buffer[] = [];
          let sent = 0;
          for (const chunk of chunksOf(data, cuts)) {
            parts.push(await compressor.push(chunk));
            sent += chunk.length;
            // Everything pushed so far decodes from what was returned so far: nothing waits in zlib.
            expect(decompressPartial(encoding, Buffer.concat(parts)).equals(Buffer.from(data.subarray(0, sent)))).toBe(true);
          }
          parts.push(await compressor.end());
          expect(decompress(encoding, Buffer.concat(parts)).equals(Buffer.from(data))).toBe(true);
          expect(compressor.bytesIn).toBe(data.length);
          expect(compressor.bytesOut).toBe(Buffer.concat(parts).length);
        }),
        { numRuns: 40 },
      );
    });

    it(`${encoding}: without flushing, still round-trips and batches output`, async () => {
      const compressor = new ResponseCompressor(encoding, { flush: false });
      const text = Buffer.from("data: hello world, this line repeats itself\n\n".repeat(200));
      const parts: Buffer[] = [];
      for (let i = 0; i < text.length; i += 100) parts.push(await compressor.push(text.subarray(i, i + 100)));
      expect(parts.filter((p) => p.length === 0).length).toBeGreaterThan(parts.length / 2);
      parts.push(await compressor.end());
      expect(decompress(encoding, Buffer.concat(parts)).equals(text)).toBe(true);
    });

    it(`${encoding}: settles overlapping pushes in order and copies their chunks`, async () => {
      const compressor = new ResponseCompressor(encoding);
      const reused = Buffer.alloc(1000);
      const promises: Promise<Buffer>[] = [];
      const expected: Buffer[] = [];
      for (let i = 0; i < 20; i++) {
        reused.fill(65 + i);
        expected.push(Buffer.from(reused));
        promises.push(compressor.push(reused)); // the caller reuses its buffer at once
      }
      promises.push(compressor.end());
      const parts = await Promise.all(promises);
      expect(decompress(encoding, Buffer.concat(parts)).equals(Buffer.concat(expected))).toBe(true);
    });
  }

  it("compresses an empty body to a valid empty stream", async () => {
    for (const encoding of encodings) {
      const compressor = new ResponseCompressor(encoding);
      const first = await compressor.push(new Uint8Array(0));
      const rest = await compressor.end();
      expect(decompress(encoding, Buffer.concat([first, rest])).length).toBe(0);
    }
  });

  it("uses the level given: a higher gzip level makes smaller output on text", async () => {
    const text = Buffer.from(Array.from({ length: 3000 }, (_, i) => `line ${i % 97} of ${i % 13}\n`).join(""));
    const sizes: number[] = [];
    for (const level of [1, 9]) {
      const compressor = new ResponseCompressor("gzip", { level, flush: false });
      const out = Buffer.concat([await compressor.push(text), await compressor.end()]);
      expect(zlib.gunzipSync(out).equals(text)).toBe(true);
      sizes.push(out.length);
    }
    expect(sizes[1]).toBeLessThan(sizes[0]!);
  });

  it("refuses use after end and destroy with a stable code, and rejects pending work on destroy", async () => {
    const ended = new ResponseCompressor("gzip");
    await ended.end();
    await expect(ended.push(Buffer.from("x"))).rejects.toMatchObject({ code: "ZP_COMPRESSOR_CLOSED" });
    await expect(ended.end()).rejects.toBeInstanceOf(ModuleError);

    const destroyed = new ResponseCompressor("br");
    const pending = destroyed.push(randomBytes(200_000));
    destroyed.destroy();
    await expect(pending).rejects.toMatchObject({ code: "ZP_COMPRESSOR_CLOSED" });
    expect(destroyed.closed).toBe(true);
    destroyed.destroy(); // twice is fine
  });

  it("refuses bad options", () => {
    expect(() => new ResponseCompressor("deflate" as ContentEncoding)).toThrow(ModuleError);
    expect(() => new ResponseCompressor("gzip", { level: 11 })).toThrow(ModuleError);
    expect(() => new ResponseCompressor("br", { windowBits: 30 })).toThrow(ModuleError);
  });
});

describe("compression end to end", () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("streams a compressed response an HTTP client decodes", async () => {
    const policy = new CompressionPolicy();
    const chunks = Array.from({ length: 30 }, (_, i) => `event: tick\ndata: ${"x".repeat(i * 10)} ${i}\n\n`);
    server = new HttpServer({}, async (req, res) => {
      // What a response filter and a body filter do with an upstream's head and body.
      const head = ResponseHeader.build(200).appendHeader("Content-Type", "text/event-stream").appendHeader("ETag", '"e1"');
      const encoding = policy.apply(req.head, head);
      res.writeHead(head);
      const compressor = encoding === undefined ? undefined : policy.createCompressor(encoding);
      for (const chunk of chunks) {
        const data = Buffer.from(chunk);
        res.write(compressor === undefined ? data : await compressor.push(data));
      }
      res.end(compressor === undefined ? undefined : await compressor.end());
    });
    const { port } = await server.listen(0, "127.0.0.1");
    for (const [accept, expected] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
      ["identity", null],
    ] as const) {
      const response = await fetch(`http://127.0.0.1:${port}/events`, { headers: { "accept-encoding": accept } });
      expect(response.headers.get("content-encoding")).toBe(expected);
      expect(response.headers.get("vary")).toBe("Accept-Encoding");
      expect(response.headers.get("etag")).toBe(expected === null ? '"e1"' : 'W/"e1"');
      expect(await response.text()).toBe(chunks.join(""));
    }
  });
});
