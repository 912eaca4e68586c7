import { H1Parser, ParseError, type FieldsView, type H1Mode } from "../../src/index.js";
import { loadCorpus } from "../corpus/load-corpus.js";

/** What a fuzz run saw. */
export interface FuzzReport {
  inputs: number;
  accepted: number;
  rejected: number;
  /** Inputs that made the parser throw something other than ParseError or break an invariant. */
  failures: { input: string; mode: H1Mode; problem: string }[];
}

/** A small seeded PRNG (xorshift32), so a failing run can be repeated exactly. */
export function rng(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const interesting = [0x0d, 0x0a, 0x20, 0x09, 0x00, 0x0b, 0x0c, 0x7f, 0x80, 0xff, 0x3a, 0x3b, 0x3d, 0x22, 0x5c, 0x2c, 0x30, 0x39, 0x66, 0x2d, 0x2b];

function mutate(seed: Uint8Array, rand: () => number): Uint8Array {
  const bytes = Array.from(seed);
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rand() * (bytes.length + 1));
    const byte = rand() < 0.7 ? interesting[Math.floor(rand() * interesting.length)]! : Math.floor(rand() * 256);
    const op = rand();
    if (op < 0.4) bytes[Math.min(i, bytes.length - 1)] = byte;
    else if (op < 0.7) bytes.splice(i, 0, byte);
    else if (op < 0.85) bytes.splice(i, 1 + Math.floor(rand() * 4));
    else {
      // duplicate a slice (repeats headers, chunks, whole messages)
      const a = Math.floor(rand() * bytes.length);
      const b = Math.min(bytes.length, a + Math.floor(rand() * 64));
      bytes.splice(i, 0, ...bytes.slice(a, b));
    }
  }
  return Uint8Array.from(bytes);
}

const decode = (buf: Uint8Array, start: number, end: number) => Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1", start, end);

/** Whether every string the view makes equals decoding its field's bytes one by one. */
function stringsMatchBytes(fields: FieldsView): boolean {
  const flat = fields.strings();
  const o = fields.offsets;
  for (let i = 0; i < fields.count; i++) {
    const name = decode(fields.buf, o[i * 4]!, o[i * 4 + 1]!);
    const value = decode(fields.buf, o[i * 4 + 2]!, o[i * 4 + 3]!);
    if (flat[i * 2] !== name || flat[i * 2 + 1] !== value || fields.name(i) !== name || fields.value(i) !== value) return false;
  }
  return flat.length === fields.count * 2;
}

/** Feeds `input` in random pieces and checks the parser's contract. Returns a problem or null. */
function parseChecked(mode: H1Mode, input: Uint8Array, rand: () => number): { problem: string | null; accepted: boolean } {
  let bodyBytes = 0;
  let problem: string | null = null;
  const parser = new H1Parser(
    mode,
    {
      onHeaders(head) {
        if (head.fields.count < 0 || head.fields.count > 256) problem = "header count out of range";
        for (let i = 0; i < head.fields.count; i++) {
          const o = head.fields.offsets;
          if (!(o[i * 4]! < o[i * 4 + 1]! && o[i * 4 + 2]! <= o[i * 4 + 3]! && o[i * 4 + 3]! <= head.fields.buf.length)) problem = "bad field offsets";
        }
        if (!stringsMatchBytes(head.fields)) problem = "header strings differ from the bytes";
        const line = head.isRequest ? [head.url, head.urlStart, head.urlEnd] : [head.reason, head.reasonStart, head.reasonEnd];
        if (line[0] !== decode(head.buf, line[1] as number, line[2] as number)) problem = "start-line string differs from the bytes";
      },
      onTrailers(trailers) {
        if (!stringsMatchBytes(trailers)) problem = "trailer strings differ from the bytes";
      },
      onBody(buf, start, end) {
        if (!(start >= 0 && start < end && end <= buf.length)) problem = `bad body range ${start}..${end}`;
        bodyBytes += end - start;
      },
    },
    { maxHeaderBytes: 2048, maxHeaders: 32, maxUrlLength: 512, maxChunkExtensionBytes: 64, maxTrailerBytes: 512, maxTrailers: 8 },
  );
  try {
    let p = 0;
    while (p < input.length) {
      const len = rand() < 0.2 ? 1 : 1 + Math.floor(rand() * input.length);
      const piece = input.slice(p, Math.min(input.length, p + len));
      const r = parser.execute(piece, 0, piece.length);
      if (r < 0 || r > piece.length) return { problem: `execute returned ${r} for ${piece.length} bytes`, accepted: false };
      if (parser.isUpgraded) break;
      if (r !== piece.length) return { problem: "execute stopped early without an upgrade", accepted: false };
      p += piece.length;
    }
    if (!parser.isUpgraded) parser.finish();
  } catch (err) {
    if (!(err instanceof ParseError)) return { problem: `threw ${String(err)}`, accepted: false };
    return { problem, accepted: false };
  }
  if (bodyBytes > input.length) problem = "more body bytes than input";
  return { problem, accepted: true };
}

let seeds: { mode: H1Mode; input: Uint8Array }[] | undefined;

/** Runs `count` mutated inputs (from the llhttp corpus) through fresh parsers. */
export function runFuzz(count: number, seed: number, onProgress?: (done: number) => void): FuzzReport {
  seeds ??= loadCorpus().map((c) => ({ mode: c.mode, input: c.input }));
  const rand = rng(seed);
  const report: FuzzReport = { inputs: 0, accepted: 0, rejected: 0, failures: [] };
  for (let i = 0; i < count; i++) {
    const s = seeds[Math.floor(rand() * seeds.length)]!;
    const input = mutate(s.input, rand);
    const { problem, accepted } = parseChecked(s.mode, input, rand);
    report.inputs++;
    if (accepted) report.accepted++;
    else report.rejected++;
    if (problem !== null && report.failures.length < 20) {
      report.failures.push({ input: Buffer.from(input).toString("latin1"), mode: s.mode, problem });
    }
    if (onProgress && (i + 1) % 10000 === 0) onProgress(i + 1);
  }
  return report;
}
