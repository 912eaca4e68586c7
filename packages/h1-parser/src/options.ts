import type { FieldsView } from "./fields.js";
import type { H1Head } from "./head.js";

/** Limits and leniency switches of {@link H1Parser}. Every limit breach has its own error code. */
export interface H1ParserOptions {
  /** Largest head (start line + header fields + final CRLF) in bytes. Default 65536. */
  maxHeaderBytes?: number;
  /** Most header fields per message. Default 256. */
  maxHeaders?: number;
  /** Longest request-target in bytes. Default 16384. */
  maxUrlLength?: number;
  /** Longest chunk-extension section of one chunk-size line in bytes. Default 4096. */
  maxChunkExtensionBytes?: number;
  /** Largest trailer section in bytes. Default 16384. */
  maxTrailerBytes?: number;
  /** Most trailer fields per message. Default 64. */
  maxTrailers?: number;
  /**
   * Accept a bare LF as a line ending in the head, chunk lines and trailers
   * (RFC 9112 §2.2 allows it; off by default because it is a known desync vector).
   */
  lenientLineEndings?: boolean;
}

/** The callbacks {@link H1Parser} calls while it parses. All are optional. */
export interface H1Handler {
  /**
   * A message head is complete. Return `true` to declare that this message has no body
   * (a response to HEAD, for instance).
   */
  onHeaders?(head: H1Head): boolean | void;
  /** A piece of body: `buf[start..end)`, a view of the caller's input (no copy). */
  onBody?(buf: Uint8Array, start: number, end: number): void;
  /** The trailer fields of a chunked message (only called when there are some). */
  onTrailers?(trailers: FieldsView): void;
  /** The message is complete. */
  onMessageComplete?(): void;
}

/** The options with every default filled in. */
export interface ResolvedOptions {
  maxHeaderBytes: number;
  maxHeaders: number;
  maxUrlLength: number;
  maxChunkExtensionBytes: number;
  maxTrailerBytes: number;
  maxTrailers: number;
  lenientLineEndings: boolean;
}

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > 0x3fffffff) {
    throw new RangeError(`${name} must be an integer in 1..2^30-1, got ${value}`);
  }
  return value;
}

/** Fills in defaults and checks the limits are sane. */
export function resolveOptions(o: H1ParserOptions = {}): ResolvedOptions {
  return {
    maxHeaderBytes: limit(o.maxHeaderBytes, 65536, "maxHeaderBytes"),
    maxHeaders: limit(o.maxHeaders, 256, "maxHeaders"),
    maxUrlLength: limit(o.maxUrlLength, 16384, "maxUrlLength"),
    maxChunkExtensionBytes: limit(o.maxChunkExtensionBytes, 4096, "maxChunkExtensionBytes"),
    maxTrailerBytes: limit(o.maxTrailerBytes, 16384, "maxTrailerBytes"),
    maxTrailers: limit(o.maxTrailers, 64, "maxTrailers"),
    lenientLineEndings: o.lenientLineEndings === true,
  };
}
