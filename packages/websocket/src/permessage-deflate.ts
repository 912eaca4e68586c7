import { Buffer } from "node:buffer";
import { Deflate, Inflate, Z_SYNC_FLUSH, zlibDeflateReset, zlibInflateReset, type ZStream } from "pako";
import { CloseCode } from "./constants.js";
import type { ExtensionOffer } from "./extension-header.js";
import { WebSocketError } from "./websocket-error.js";

/** The extension name of RFC 7692. */
export const PERMESSAGE_DEFLATE = "permessage-deflate";

/** What a side is willing to negotiate for permessage-deflate. */
export interface PerMessageDeflateOptions {
  /** Ask (client) or require (server) that the server resets its compression context per message. */
  serverNoContextTakeover?: boolean;
  /** Ask (client) or require (server) that the client resets its compression context per message. */
  clientNoContextTakeover?: boolean;
  /** Largest LZ77 window (9–15 bits) the server may use. */
  serverMaxWindowBits?: number;
  /** Largest LZ77 window (9–15 bits) the client may use; `true` (client) offers the parameter without a value. */
  clientMaxWindowBits?: number | true;
  /** Messages smaller than this many bytes are sent uncompressed (default 1024). */
  threshold?: number;
  /** zlib compression level 0–9 (default 1: fastest, as nginx's gzip default; pako is pure JavaScript). */
  level?: number;
  /** zlib memLevel 1–9 (default 8). */
  memLevel?: number;
}

/** The parameters both sides agreed on. */
export interface DeflateParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number;
  clientMaxWindowBits: number;
}

const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const EMPTY_BLOCK = Buffer.from([0x00]);

// pako's typings hide the zlib stream of its classes; resetting it in place keeps the
// allocated window and tables, where a new instance per message would allocate ~300 KiB.
function streamOf(z: Deflate | Inflate): ZStream {
  return (z as unknown as { strm: ZStream }).strm;
}

// pako allocates a fresh output buffer of `chunkSize` bytes per call; sizing it to the
// message spares a 64 KiB allocation for every small message.
function setChunkSize(z: Deflate | Inflate, size: number): void {
  (z as unknown as { options: { chunkSize: number } }).options.chunkSize = size;
}

const MIN_CHUNK = 512;
const MAX_CHUNK = 64 * 1024;

function parseBits(value: string | true, allowBare: boolean): number | true | undefined {
  if (value === true) return allowBare ? true : undefined;
  if (!/^(?:[89]|1[0-5])$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Validates one permessage-deflate offer or response. Returns its parameters, or undefined
 * when it breaks RFC 7692 §7 (unknown or repeated parameter, bad value).
 */
function readParams(offer: ExtensionOffer, isOffer: boolean) {
  const seen = new Set<string>();
  const out: {
    serverNoContextTakeover: boolean;
    clientNoContextTakeover: boolean;
    serverMaxWindowBits?: number;
    clientMaxWindowBits?: number | true;
  } = { serverNoContextTakeover: false, clientNoContextTakeover: false };
  for (const [name, value] of offer.params) {
    if (seen.has(name)) return undefined;
    seen.add(name);
    switch (name) {
      case "server_no_context_takeover":
        if (value !== true) return undefined;
        out.serverNoContextTakeover = true;
        break;
      case "client_no_context_takeover":
        if (value !== true) return undefined;
        out.clientNoContextTakeover = true;
        break;
      case "server_max_window_bits": {
        const bits = parseBits(value, false);
        if (bits === undefined) return undefined;
        out.serverMaxWindowBits = bits as number;
        break;
      }
      case "client_max_window_bits": {
        // A bare client_max_window_bits is allowed in an offer, not in a response.
        const bits = parseBits(value, isOffer);
        if (bits === undefined) return undefined;
        out.clientMaxWindowBits = bits;
        break;
      }
      default:
        return undefined;
    }
  }
  return out;
}

/** The offer a client sends for the given options. */
export function clientOffer(options: PerMessageDeflateOptions): ExtensionOffer {
  const params: Array<[string, string | true]> = [];
  if (options.serverNoContextTakeover) params.push(["server_no_context_takeover", true]);
  if (options.clientNoContextTakeover) params.push(["client_no_context_takeover", true]);
  if (options.serverMaxWindowBits !== undefined) params.push(["server_max_window_bits", String(options.serverMaxWindowBits)]);
  const cbits = options.clientMaxWindowBits ?? true;
  params.push(["client_max_window_bits", cbits === true ? true : String(cbits)]);
  return { name: PERMESSAGE_DEFLATE, params };
}

/**
 * Server side: picks the first acceptable permessage-deflate offer and returns the agreed
 * parameters with the response to send, or undefined when no offer is acceptable (the
 * connection then goes on without compression).
 */
export function acceptOffer(
  offers: ExtensionOffer[],
  options: PerMessageDeflateOptions,
): { params: DeflateParams; response: ExtensionOffer } | undefined {
  for (const offer of offers) {
    if (offer.name !== PERMESSAGE_DEFLATE) continue;
    const p = readParams(offer, true);
    if (p === undefined) continue;
    // zlib cannot produce or honour an 8-bit raw deflate window: decline such offers.
    if (p.serverMaxWindowBits === 8 || p.clientMaxWindowBits === 8) continue;
    let serverBits = options.serverMaxWindowBits ?? 15;
    if (p.serverMaxWindowBits !== undefined) serverBits = Math.min(serverBits, p.serverMaxWindowBits);
    let clientBits = 15;
    const ourClientBits = typeof options.clientMaxWindowBits === "number" ? options.clientMaxWindowBits : undefined;
    const response: ExtensionOffer = { name: PERMESSAGE_DEFLATE, params: [] };
    const serverNoContext = p.serverNoContextTakeover || options.serverNoContextTakeover === true;
    const clientNoContext = p.clientNoContextTakeover || options.clientNoContextTakeover === true;
    if (serverNoContext) response.params.push(["server_no_context_takeover", true]);
    if (clientNoContext) response.params.push(["client_no_context_takeover", true]);
    if (p.serverMaxWindowBits !== undefined || serverBits < 15) {
      response.params.push(["server_max_window_bits", String(serverBits)]);
    }
    if (p.clientMaxWindowBits !== undefined) {
      const offered = p.clientMaxWindowBits === true ? 15 : p.clientMaxWindowBits;
      clientBits = Math.min(offered, ourClientBits ?? 15);
      if (clientBits < 15 || p.clientMaxWindowBits !== true) {
        response.params.push(["client_max_window_bits", String(clientBits)]);
      }
    }
    return {
      params: {
        serverNoContextTakeover: serverNoContext,
        clientNoContextTakeover: clientNoContext,
        serverMaxWindowBits: serverBits,
        clientMaxWindowBits: clientBits,
      },
      response,
    };
  }
  return undefined;
}

/**
 * Client side: checks the server's response against what was offered and returns the agreed
 * parameters. Throws `ZP_WS_HANDSHAKE_FAILED` when the response is not one the offer allows.
 */
export function acceptResponse(response: ExtensionOffer, options: PerMessageDeflateOptions): DeflateParams {
  const fail = (why: string): never => {
    throw new WebSocketError("ZP_WS_HANDSHAKE_FAILED", `server's permessage-deflate response is invalid: ${why}`);
  };
  const p = readParams(response, false) ?? fail("bad parameters");
  if (options.serverNoContextTakeover && !p.serverNoContextTakeover) fail("server_no_context_takeover was requested");
  if (p.serverMaxWindowBits !== undefined && options.serverMaxWindowBits !== undefined && p.serverMaxWindowBits > options.serverMaxWindowBits) {
    fail("server_max_window_bits above the offered value");
  }
  if (options.serverMaxWindowBits !== undefined && p.serverMaxWindowBits === undefined) fail("server_max_window_bits was requested");
  let clientBits = typeof options.clientMaxWindowBits === "number" ? options.clientMaxWindowBits : 15;
  if (p.clientMaxWindowBits !== undefined) {
    if (options.clientMaxWindowBits === false as unknown) fail("client_max_window_bits was not offered");
    clientBits = Math.min(clientBits, p.clientMaxWindowBits as number);
  }
  if (clientBits === 8 || p.serverMaxWindowBits === 8) fail("8-bit windows are not supported");
  return {
    serverNoContextTakeover: p.serverNoContextTakeover,
    clientNoContextTakeover: p.clientNoContextTakeover || options.clientNoContextTakeover === true,
    serverMaxWindowBits: p.serverMaxWindowBits ?? 15,
    clientMaxWindowBits: clientBits,
  };
}

/**
 * The compressor and decompressor of one connection. pako runs synchronously, so memory stays
 * bounded by the limits below however many connections compress at once.
 */
export class PerMessageDeflate {
  /** Messages smaller than this are sent uncompressed. */
  readonly threshold: number;
  private readonly deflater: Deflate;
  private inflater: Inflate;
  private readonly peerWindowBits: number;
  private readonly resetDeflate: boolean;
  private readonly resetInflate: boolean;
  private outChunks: Uint8Array[] = [];
  private outLength = 0;
  private inChunks: Uint8Array[] = [];
  private inLength = 0;
  private inLimit = Number.POSITIVE_INFINITY;
  private inflaterNeedsReset = false;

  constructor(
    readonly params: DeflateParams,
    readonly isServer: boolean,
    options: PerMessageDeflateOptions = {},
  ) {
    this.threshold = options.threshold ?? 1024;
    const ownBits = isServer ? params.serverMaxWindowBits : params.clientMaxWindowBits;
    const peerBits = isServer ? params.clientMaxWindowBits : params.serverMaxWindowBits;
    this.resetDeflate = isServer ? params.serverNoContextTakeover : params.clientNoContextTakeover;
    this.resetInflate = isServer ? params.clientNoContextTakeover : params.serverNoContextTakeover;
    this.deflater = new Deflate({
      raw: true,
      windowBits: ownBits,
      level: (options.level ?? 1) as 1,
      memLevel: options.memLevel ?? 8,
      chunkSize: 16 * 1024,
    });
    this.deflater.onData = (chunk: Uint8Array) => {
      this.outChunks.push(chunk);
      this.outLength += chunk.length;
    };
    this.peerWindowBits = peerBits;
    this.inflater = this.createInflater();
  }

  private createInflater(): Inflate {
    const inflater = new Inflate({ raw: true, windowBits: this.peerWindowBits, chunkSize: 64 * 1024 });
    // Checked per 64 KiB of output, so a small frame that would inflate to gigabytes
    // stops here instead of filling memory.
    inflater.onData = (chunk: Uint8Array) => {
      this.inLength += chunk.length;
      if (this.inLength > this.inLimit) {
        throw new WebSocketError("ZP_WS_MESSAGE_TOO_BIG", `inflated message exceeds ${this.inLimit} bytes`, CloseCode.MessageTooBig);
      }
      this.inChunks.push(chunk);
    };
    return inflater;
  }

  /** Compresses one whole message; the result is the payload of a frame with RSV1 set. */
  compress(data: Uint8Array): Buffer {
    // zlib emits nothing for a flush without input; an empty message is one empty stored
    // block, whose last four bytes the receiver appends (RFC 7692 §7.2.3.6).
    if (data.length === 0) return Buffer.from(EMPTY_BLOCK);
    this.outChunks = [];
    this.outLength = 0;
    setChunkSize(this.deflater, Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, data.length + 64)));
    if (!this.deflater.push(data, Z_SYNC_FLUSH)) {
      throw new WebSocketError("ZP_WS_DEFLATE_ERROR", `deflate failed: ${this.deflater.msg}`, CloseCode.InternalError);
    }
    const total = this.outLength;
    let out: Buffer;
    if (this.outChunks.length === 1) {
      const c = this.outChunks[0]!;
      out = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    } else {
      out = Buffer.allocUnsafe(total);
      let offset = 0;
      for (const c of this.outChunks) {
        out.set(c, offset);
        offset += c.length;
      }
    }
    this.outChunks = [];
    if (this.resetDeflate) zlibDeflateReset(streamOf(this.deflater));
    // A sync flush ends with 00 00 ff ff, which the receiver adds back (RFC 7692 §7.2.1).
    return total >= 4 && out[total - 4] === 0 && out[total - 3] === 0 && out[total - 2] === 0xff && out[total - 1] === 0xff
      ? out.subarray(0, total - 4)
      : out;
  }

  /** Starts decompressing a message that may inflate to at most `limit` bytes. */
  beginMessage(limit: number): void {
    this.inChunks = [];
    this.inLength = 0;
    this.inLimit = limit;
    if (this.inflaterNeedsReset) {
      // A stream that ended (final block or error) has released its state: start a new one.
      if (this.inflater.ended) this.inflater = this.createInflater();
      else zlibInflateReset(streamOf(this.inflater));
      this.inflaterNeedsReset = false;
    }
  }

  /**
   * Decompresses one frame's payload. Throws a {@link WebSocketError} with close code 1009
   * as soon as the message inflates past its limit, or 1007 on corrupt data.
   */
  push(payload: Uint8Array): void {
    if (payload.length === 0) return;
    // Text and JSON inflate to a few times their compressed size; larger output takes more chunks.
    setChunkSize(this.inflater, Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, payload.length * 4)));
    this.inflate(payload);
  }

  /** Ends the message and returns its inflated pieces, in order, and their total length. */
  endMessage(): { chunks: Uint8Array[]; length: number } {
    this.inflate(TRAILER);
    const result = { chunks: this.inChunks, length: this.inLength };
    this.inChunks = [];
    if (this.resetInflate || this.inflater.ended) this.inflaterNeedsReset = true;
    return result;
  }

  private inflate(data: Uint8Array): void {
    if (this.inflater.ended) {
      // The peer closed its stream with a final block; more data in this message is invalid.
      if (this.inflater.err !== 0 || data !== TRAILER) this.corrupt();
      return;
    }
    try {
      if (!this.inflater.push(data, Z_SYNC_FLUSH)) this.corrupt();
    } catch (err) {
      this.inflaterNeedsReset = true;
      if (err instanceof WebSocketError) throw err;
      this.corrupt(err);
    }
    if (this.inflater.ended && this.inflater.err !== 0) this.corrupt();
  }

  private corrupt(cause?: unknown): never {
    this.inflaterNeedsReset = true;
    throw new WebSocketError(
      "ZP_WS_DEFLATE_ERROR",
      `invalid compressed data: ${this.inflater.msg || "inflate failed"}`,
      CloseCode.InvalidPayload,
      cause === undefined ? undefined : { cause },
    );
  }
}
