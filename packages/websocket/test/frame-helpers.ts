import { applyMask } from "../src/mask.js";

/** Builds one raw frame, for feeding hostile or unusual input to a receiver. */
export function rawFrame(options: {
  opcode: number;
  payload?: Uint8Array | string;
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  mask?: boolean;
  /** Force the length encoding (7, 16 or 64 bits) regardless of size. */
  lengthBits?: 7 | 16 | 64;
  /** Claim this length instead of the payload's. */
  claimedLength?: number;
}): Buffer {
  const payload = typeof options.payload === "string" ? Buffer.from(options.payload) : Buffer.from(options.payload ?? []);
  const length = options.claimedLength ?? payload.length;
  const bits = options.lengthBits ?? (length < 126 ? 7 : length < 65536 ? 16 : 64);
  const mask = options.mask ?? false;
  const header: number[] = [
    ((options.fin ?? true) ? 0x80 : 0) | (options.rsv1 ? 0x40 : 0) | (options.rsv2 ? 0x20 : 0) | (options.rsv3 ? 0x10 : 0) | options.opcode,
  ];
  const maskBit = mask ? 0x80 : 0;
  if (bits === 7) header.push(maskBit | length);
  else if (bits === 16) header.push(maskBit | 126, (length >> 8) & 0xff, length & 0xff);
  else {
    header.push(maskBit | 127);
    const big = BigInt(length);
    for (let i = 7; i >= 0; i--) header.push(Number((big >> BigInt(i * 8)) & 0xffn));
  }
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(payload);
  if (mask) {
    applyMask(body, 0, body.length, key, body, 0);
    return Buffer.concat([Buffer.from(header), key, body]);
  }
  return Buffer.concat([Buffer.from(header), body]);
}

/** A close frame payload: code + reason. */
export function closePayload(code: number, reason = ""): Buffer {
  const r = Buffer.from(reason);
  const out = Buffer.alloc(2 + r.length);
  out.writeUInt16BE(code, 0);
  r.copy(out, 2);
  return out;
}
