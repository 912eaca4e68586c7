import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import { applyMask, nextMaskKey } from "./mask.js";

// Below this size a frame's header and payload are copied into one buffer and written once;
// above it they are written as two buffers inside one cork.
const COPY_LIMIT = 16 * 1024;

/** Length of a frame header for a payload of `length` bytes. */
function headerLength(length: number, masked: boolean): number {
  return (length < 126 ? 2 : length < 0x10000 ? 4 : 10) + (masked ? 4 : 0);
}

function writeHeader(out: Buffer, opcode: number, fin: boolean, rsv1: boolean, length: number, masked: boolean): number {
  out[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) {
    out[1] = maskBit | length;
    return 2;
  }
  if (length < 0x10000) {
    out[1] = maskBit | 126;
    out.writeUInt16BE(length, 2);
    return 4;
  }
  out[1] = maskBit | 127;
  out.writeUInt32BE(Math.floor(length / 0x100000000), 2);
  out.writeUInt32BE(length >>> 0, 6);
  return 10;
}

/**
 * Writes frames to a socket. Clients mask every frame with a fresh key (RFC 6455 §5.3),
 * which needs a copy of the payload; servers write payloads as they are.
 */
export class Sender {
  constructor(
    private readonly socket: Socket,
    private readonly mask: boolean,
  ) {}

  /** Writes one frame. Returns what `socket.write` returned (false: wait for 'drain'). */
  frame(opcode: number, payload: Uint8Array, fin: boolean, rsv1: boolean): boolean {
    const length = payload.length;
    const hlen = headerLength(length, this.mask);
    if (this.mask) {
      const out = Buffer.allocUnsafe(hlen + length);
      const off = writeHeader(out, opcode, fin, rsv1, length, true);
      const key = nextMaskKey();
      out[off] = key[0]!;
      out[off + 1] = key[1]!;
      out[off + 2] = key[2]!;
      out[off + 3] = key[3]!;
      applyMask(payload, 0, length, key, out, off + 4);
      return this.socket.write(out);
    }
    if (length <= COPY_LIMIT) {
      const out = Buffer.allocUnsafe(hlen + length);
      writeHeader(out, opcode, fin, rsv1, length, false);
      out.set(payload, hlen);
      return this.socket.write(out);
    }
    const header = Buffer.allocUnsafe(hlen);
    writeHeader(header, opcode, fin, rsv1, length, false);
    this.socket.cork();
    this.socket.write(header);
    const ok = this.socket.write(payload);
    this.socket.uncork();
    return ok;
  }
}
