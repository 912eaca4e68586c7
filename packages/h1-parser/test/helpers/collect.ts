import { H1Parser, ParseError, type H1Mode, type H1ParserOptions } from "../../src/index.js";

/** One parsed message, as plain data for comparisons. */
export interface CollectedMessage {
  method: string;
  url: string;
  status: number;
  versionMajor: number;
  versionMinor: number;
  headers: [string, string][];
  trailers: [string, string][];
  body: string;
  complete: boolean;
  shouldKeepAlive: boolean;
  upgrade: boolean;
  bodyKind: number;
}

/** Everything a parse produced: messages, the error (if any) and where a tunnel starts. */
export interface Collected {
  messages: CollectedMessage[];
  error: ParseError | null;
  /** Stream offset of the first tunnelled byte, or -1. */
  upgradeOffset: number;
}

/** How to cut the input: whole, byte by byte, or at the given offsets. */
export type Split = "whole" | "bytes" | readonly number[];

export interface CollectOptions extends H1ParserOptions {
  /** Call `finish()` after the input (the peer closed). */
  finish?: boolean;
  /** Answer `true` from onHeaders (no body, like a HEAD response). */
  skipBody?: boolean;
}

/** Runs a fresh parser over `input` cut as `split` and collects what it reported. */
export function collect(mode: H1Mode, input: Uint8Array, split: Split = "whole", options: CollectOptions = {}): Collected {
  const messages: CollectedMessage[] = [];
  let cur: CollectedMessage | null = null;
  const parser = new H1Parser(
    mode,
    {
      onHeaders(head) {
        cur = {
          method: head.method,
          url: head.isRequest ? head.url : "",
          status: head.status,
          versionMajor: head.versionMajor,
          versionMinor: head.versionMinor,
          headers: head.fields.toArray(),
          trailers: [],
          body: "",
          complete: false,
          shouldKeepAlive: head.shouldKeepAlive,
          upgrade: head.upgrade,
          bodyKind: head.bodyKind,
        };
        messages.push(cur);
        return options.skipBody === true;
      },
      onBody(buf, start, end) {
        cur!.body += Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("latin1");
      },
      onTrailers(t) {
        cur!.trailers = t.toArray();
      },
      onMessageComplete() {
        cur!.complete = true;
      },
    },
    options,
  );
  const cuts = split === "whole" ? [] : split === "bytes" ? Array.from({ length: input.length }, (_, i) => i) : split;
  const points = [...new Set([0, ...cuts.filter((c) => c > 0 && c < input.length), input.length])].sort((a, b) => a - b);
  let error: ParseError | null = null;
  let upgradeOffset = -1;
  try {
    for (let i = 0; i + 1 < points.length; i++) {
      // each piece in its own buffer, so no offset can leak across pieces
      const piece = input.slice(points[i]!, points[i + 1]!);
      const r = parser.execute(piece, 0, piece.length);
      if (parser.isUpgraded) {
        upgradeOffset = points[i]! + r;
        break;
      }
    }
    if (upgradeOffset < 0 && options.finish === true) parser.finish();
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    error = err;
  }
  return { messages, error, upgradeOffset };
}

/** Random cut points for `input` from a seeded generator. */
export function randomSplit(length: number, seed: number): number[] {
  let x = seed | 0 || 1;
  const cuts: number[] = [];
  const n = 1 + (Math.abs(seed) % 8);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    cuts.push(Math.abs(x) % Math.max(1, length));
  }
  return cuts;
}
