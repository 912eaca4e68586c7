import { isUtf8 } from "node:buffer";

/** Length of the UTF-8 sequence a lead byte starts, or 0 for a byte that cannot lead one. */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

/**
 * Validates UTF-8 that arrives in pieces (fragments, or chunks of inflated data), so that a
 * text message is rejected as soon as its bytes cannot be UTF-8, without holding it whole.
 * Whole runs are checked with the native `isUtf8`; at most 3 bytes of an incomplete code
 * point are carried from one piece to the next.
 */
export class Utf8Validator {
  private readonly carry = new Uint8Array(4);
  private carried = 0;
  private needed = 0;

  /** Checks the next piece. Returns false as soon as the text is known to be invalid. */
  push(piece: Uint8Array): boolean {
    let start = 0;
    if (this.carried > 0) {
      const take = Math.min(this.needed - this.carried, piece.length);
      for (let i = 0; i < take; i++) this.carry[this.carried++] = piece[i]!;
      start = take;
      if (this.carried < this.needed) {
        // Still incomplete: the bytes so far must at least be a valid prefix.
        return this.validPrefix();
      }
      if (!isUtf8(this.carry.subarray(0, this.carried))) return false;
      this.carried = 0;
      this.needed = 0;
    }
    const end = piece.length;
    if (start >= end) return true;
    // Find an incomplete sequence at the end of the piece.
    let cut = end;
    for (let i = end - 1; i >= start && i >= end - 3; i--) {
      const b = piece[i]!;
      if ((b & 0xc0) === 0x80) continue; // continuation byte
      const len = sequenceLength(b);
      if (len > 1 && i + len > end) cut = i;
      break;
    }
    if (cut > start && !isUtf8(piece.subarray(start, cut))) return false;
    if (cut < end) {
      this.needed = sequenceLength(piece[cut]!);
      for (let i = cut; i < end; i++) this.carry[this.carried++] = piece[i]!;
      return this.validPrefix();
    }
    return true;
  }

  /** Ends the text: false if it stopped inside a code point. Resets the validator. */
  end(): boolean {
    const ok = this.carried === 0;
    this.carried = 0;
    this.needed = 0;
    return ok;
  }

  /** Resets to the start of a new text. */
  reset(): void {
    this.carried = 0;
    this.needed = 0;
  }

  // A prefix of a multi-byte sequence is valid if padding it with the smallest
  // continuation that keeps it in range yields valid UTF-8.
  private validPrefix(): boolean {
    const probe = new Uint8Array(this.needed);
    probe.set(this.carry.subarray(0, this.carried));
    const lead = probe[0]!;
    for (let i = this.carried; i < this.needed; i++) probe[i] = 0x80;
    // E0 needs A0.., F0 needs 90.. as second byte; ED needs ..9F, F4 ..8F: adjust the padding.
    if (this.carried === 1) {
      if (lead === 0xe0) probe[1] = 0xa0;
      else if (lead === 0xf0) probe[1] = 0x90;
    }
    return isUtf8(probe);
  }
}
