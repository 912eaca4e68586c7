import { Buffer } from "node:buffer";
import { randomFillSync } from "node:crypto";

/**
 * XORs `data[start..end)` with the 4-byte `mask` (RFC 6455 §5.3), writing to `out` at `outStart`.
 * `out` may be `data` itself (in-place unmasking).
 */
export function applyMask(
  data: Uint8Array,
  start: number,
  end: number,
  mask: Uint8Array,
  out: Uint8Array,
  outStart: number,
): void {
  const m0 = mask[0]!;
  const m1 = mask[1]!;
  const m2 = mask[2]!;
  const m3 = mask[3]!;
  let i = start;
  let o = outStart;
  const end4 = start + ((end - start) & ~3);
  while (i < end4) {
    out[o] = data[i]! ^ m0;
    out[o + 1] = data[i + 1]! ^ m1;
    out[o + 2] = data[i + 2]! ^ m2;
    out[o + 3] = data[i + 3]! ^ m3;
    i += 4;
    o += 4;
  }
  let k = 0;
  while (i < end) {
    out[o++] = data[i++]! ^ mask[k++]!;
  }
}

// Masking keys come from a pool of random bytes refilled in bulk: one syscall per 2048 frames.
const pool = Buffer.allocUnsafe(8192);
let poolOffset = pool.length;

/** A fresh 4-byte masking key (a view into a shared pool: copy it if you keep it). */
export function nextMaskKey(): Buffer {
  if (poolOffset + 4 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const key = pool.subarray(poolOffset, poolOffset + 4);
  poolOffset += 4;
  return key;
}
