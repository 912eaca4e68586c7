import { Buffer } from "node:buffer";
import { CloseCode, Opcode, isValidCloseCode } from "./constants.js";
import { applyMask } from "./mask.js";
import type { PerMessageDeflate } from "./permessage-deflate.js";
import { Utf8Validator } from "./utf8-validator.js";
import { WebSocketError } from "./websocket-error.js";

/** Limits the receiver enforces; exceeding one fails the connection with close code 1009. */
export interface ReceiverLimits {
  /** Largest payload of a single frame, in bytes (default 100 MiB). */
  maxFrameSize?: number;
  /** Largest message, after decompression, in bytes (default 100 MiB). */
  maxMessageSize?: number;
  /** Most frames one message may be split into (default 100,000). */
  maxFragments?: number;
}

/** Where the receiver delivers what it parsed. One object per connection: no closures per frame. */
export interface ReceiverSink {
  onMessage(data: Buffer, isBinary: boolean): void;
  onPing(data: Buffer): void;
  onPong(data: Buffer): void;
  /** A Close frame arrived; `code` is 1005 when it carried none. */
  onClose(code: number, reason: Buffer): void;
  /** The peer broke the protocol or a limit; `error.closeCode` says how to close. */
  onError(error: WebSocketError): void;
}

const enum State {
  Header,
  Length16,
  Length64,
  MaskKey,
  Payload,
  Failed,
}

const EMPTY = Buffer.alloc(0);

/**
 * Parses WebSocket frames from raw bytes (RFC 6455 §5) as they arrive in any split:
 * 7/16/64-bit lengths, masking rules by role, fragmentation with control frames
 * interleaved, close codes, UTF-8 validation of text (across fragments too), reserved bits
 * and opcodes, and permessage-deflate when negotiated.
 */
export class Receiver {
  private readonly maxFrameSize: number;
  private readonly maxMessageSize: number;
  private readonly maxFragments: number;
  private readonly expectMasked: boolean;
  private readonly utf8 = new Utf8Validator();
  private readonly maskKey = Buffer.alloc(4);

  private chunks: Buffer[] = [];
  private buffered = 0;
  private state = State.Header;

  // the frame being read
  private fin = false;
  private compressedFrame = false;
  private opcode = 0;
  private masked = false;
  private payloadLength = 0;

  // the message being assembled
  private messageOpcode = 0;
  private messageCompressed = false;
  private fragments: Buffer[] = [];
  private messageLength = 0;
  private fragmentCount = 0;

  /**
   * @param sink receives messages, control frames and errors
   * @param isServer a server requires masked frames, a client requires unmasked ones
   * @param deflate the negotiated permessage-deflate, if any
   */
  constructor(
    private readonly sink: ReceiverSink,
    isServer: boolean,
    private readonly deflate: PerMessageDeflate | null = null,
    limits: ReceiverLimits = {},
  ) {
    this.expectMasked = isServer;
    this.maxFrameSize = limits.maxFrameSize ?? 100 * 1024 * 1024;
    this.maxMessageSize = limits.maxMessageSize ?? 100 * 1024 * 1024;
    this.maxFragments = limits.maxFragments ?? 100_000;
  }

  /** Bytes received but not yet parsed. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Feeds bytes from the socket. Parsed frames are delivered to the sink before it returns. */
  write(chunk: Buffer): void {
    if (this.state === State.Failed || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      this.parse();
    } catch (err) {
      if (err instanceof WebSocketError) this.fail(err);
      else this.fail(new WebSocketError("ZP_WS_PROTOCOL_ERROR", `internal error: ${String(err)}`, CloseCode.InternalError, { cause: err }));
    }
  }

  private parse(): void {
    for (;;) {
      switch (this.state) {
        case State.Header:
          if (this.buffered < 2) return;
          this.readHeader();
          break;
        case State.Length16:
          if (this.buffered < 2) return;
          this.payloadLength = this.consume(2).readUInt16BE(0);
          this.afterLength();
          break;
        case State.Length64: {
          if (this.buffered < 8) return;
          const b = this.consume(8);
          const high = b.readUInt32BE(0);
          // RFC 6455 §5.2: the most significant bit must be 0; we also cap at 2^53 - 1.
          if (high > 0x1fffff) throw this.protocolError("payload length too large", high > 0x7fffffff ? CloseCode.ProtocolError : CloseCode.MessageTooBig);
          this.payloadLength = high * 0x100000000 + b.readUInt32BE(4);
          this.afterLength();
          break;
        }
        case State.MaskKey:
          if (this.buffered < 4) return;
          this.consume(4).copy(this.maskKey);
          this.state = State.Payload;
          break;
        case State.Payload:
          if (this.buffered < this.payloadLength) return;
          this.readPayload();
          break;
        default:
          return;
      }
      if ((this.state as State) === State.Failed) return;
    }
  }

  private readHeader(): void {
    const b = this.consume(2);
    const b0 = b[0]!;
    const b1 = b[1]!;
    this.fin = (b0 & 0x80) !== 0;
    this.compressedFrame = (b0 & 0x40) !== 0;
    this.opcode = b0 & 0x0f;
    this.masked = (b1 & 0x80) !== 0;
    this.payloadLength = b1 & 0x7f;

    if ((b0 & 0x30) !== 0) throw this.protocolError("RSV2 and RSV3 must be clear");
    const isControl = (this.opcode & 0x08) !== 0;
    if (this.compressedFrame) {
      if (this.deflate === null) throw this.protocolError("RSV1 must be clear (no extension negotiated)");
      if (isControl || this.opcode === Opcode.Continuation) throw this.protocolError("RSV1 set on a control or continuation frame");
    }
    switch (this.opcode) {
      case Opcode.Continuation:
        if (this.messageOpcode === 0) throw this.protocolError("continuation frame without a message in progress");
        break;
      case Opcode.Text:
      case Opcode.Binary:
        if (this.messageOpcode !== 0) throw this.protocolError("new data frame while a fragmented message is in progress");
        break;
      case Opcode.Close:
      case Opcode.Ping:
      case Opcode.Pong:
        if (!this.fin) throw this.protocolError("fragmented control frame");
        if (this.payloadLength > 125) throw this.protocolError("control frame payload over 125 bytes");
        break;
      default:
        throw this.protocolError(`reserved opcode 0x${this.opcode.toString(16)}`);
    }
    if (this.masked !== this.expectMasked) {
      throw this.protocolError(this.expectMasked ? "client frames must be masked" : "server frames must not be masked");
    }
    if (this.payloadLength === 126) this.state = State.Length16;
    else if (this.payloadLength === 127) this.state = State.Length64;
    else this.afterLength();
  }

  private afterLength(): void {
    const isControl = (this.opcode & 0x08) !== 0;
    if (!isControl) {
      if (this.payloadLength > this.maxFrameSize) throw this.tooBig(`frame of ${this.payloadLength} bytes exceeds ${this.maxFrameSize}`);
      if (this.messageLength + this.payloadLength > this.maxMessageSize) {
        throw this.tooBig(`message exceeds ${this.maxMessageSize} bytes`);
      }
    }
    this.state = this.masked ? State.MaskKey : State.Payload;
  }

  private readPayload(): void {
    const length = this.payloadLength;
    const data = length === 0 ? EMPTY : this.consume(length);
    if (this.masked && length > 0) {
      // consume() may return a view into the socket's buffer: unmask in place is safe because
      // those bytes are ours once consumed.
      applyMask(data, 0, length, this.maskKey, data, 0);
    }
    this.state = State.Header;
    if ((this.opcode & 0x08) !== 0) {
      this.controlFrame(data);
      return;
    }
    if (this.opcode !== Opcode.Continuation) {
      this.messageOpcode = this.opcode;
      this.messageCompressed = this.compressedFrame;
      this.messageLength = 0;
      this.fragmentCount = 0;
      if (this.messageCompressed) this.deflate!.beginMessage(this.maxMessageSize);
      else if (this.opcode === Opcode.Text) this.utf8.reset();
    }
    if (++this.fragmentCount > this.maxFragments) throw this.tooBig(`message split into more than ${this.maxFragments} frames`);
    if (this.messageCompressed) {
      this.deflate!.push(data);
    } else {
      if (this.messageOpcode === Opcode.Text && !this.utf8.push(data)) throw this.invalidUtf8();
      this.messageLength += length;
      if (length > 0) this.fragments.push(data);
    }
    if (this.fin) this.endMessage();
  }

  private endMessage(): void {
    const isText = this.messageOpcode === Opcode.Text;
    let pieces: Array<Uint8Array>;
    let total: number;
    if (this.messageCompressed) {
      const inflated = this.deflate!.endMessage();
      pieces = inflated.chunks;
      total = inflated.length;
      if (isText) {
        this.utf8.reset();
        for (const p of pieces) if (!this.utf8.push(p)) throw this.invalidUtf8();
      }
    } else {
      pieces = this.fragments;
      total = this.messageLength;
    }
    if (isText && !this.utf8.end()) throw this.invalidUtf8();
    const message = join(pieces, total);
    this.fragments = [];
    this.messageOpcode = 0;
    this.messageLength = 0;
    this.fragmentCount = 0;
    this.sink.onMessage(message, !isText);
  }

  private controlFrame(data: Buffer): void {
    if (this.opcode === Opcode.Ping) {
      this.sink.onPing(data);
    } else if (this.opcode === Opcode.Pong) {
      this.sink.onPong(data);
    } else {
      if (data.length === 1) throw this.protocolError("close frame with a 1-byte payload");
      if (data.length === 0) {
        this.state = State.Failed; // nothing may follow a Close frame
        this.sink.onClose(CloseCode.NoStatus, EMPTY);
        return;
      }
      const code = data.readUInt16BE(0);
      if (!isValidCloseCode(code)) {
        throw new WebSocketError("ZP_WS_INVALID_CLOSE_CODE", `invalid close code ${code}`, CloseCode.ProtocolError);
      }
      const reason = data.subarray(2);
      const v = new Utf8Validator();
      if (!v.push(reason) || !v.end()) throw this.invalidUtf8();
      this.state = State.Failed;
      this.sink.onClose(code, reason);
    }
  }

  /** Takes `n` buffered bytes: a view when they sit in one chunk, else one copy. */
  private consume(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0]!;
    if (n === first.length) {
      this.chunks.shift();
      return first;
    }
    if (n < first.length) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const chunk = this.chunks[0]!;
      const take = Math.min(chunk.length, n - offset);
      chunk.copy(out, offset, 0, take);
      offset += take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    return out;
  }

  private fail(error: WebSocketError): void {
    this.state = State.Failed;
    this.chunks = [];
    this.fragments = [];
    this.buffered = 0;
    this.sink.onError(error);
  }

  private protocolError(message: string, closeCode: number = CloseCode.ProtocolError): WebSocketError {
    return new WebSocketError("ZP_WS_PROTOCOL_ERROR", message, closeCode);
  }

  private tooBig(message: string): WebSocketError {
    return new WebSocketError("ZP_WS_MESSAGE_TOO_BIG", message, CloseCode.MessageTooBig);
  }

  private invalidUtf8(): WebSocketError {
    return new WebSocketError("ZP_WS_INVALID_UTF8", "invalid UTF-8 in a text message or close reason", CloseCode.InvalidPayload);
  }
}

/** Joins message pieces with one allocation (none when there is a single piece). */
function join(pieces: Uint8Array[], total: number): Buffer {
  if (pieces.length === 0) return EMPTY;
  if (pieces.length === 1) {
    const p = pieces[0]!;
    return Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  }
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
