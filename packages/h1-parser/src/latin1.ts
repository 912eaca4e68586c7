const nativeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, s: number, e: number) => string })
  .latin1Slice;

/** Decodes `buf[start..end)` as latin1 without copying the bytes into a Buffer first. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len <= 0) return "";
  // Short strings are cheaper to build in JS than through the native call.
  if (len < 6) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
    return s;
  }
  return nativeLatin1Slice.call(buf, start, end);
}

/** Whether `buf[start..end)` equals `lower` ignoring ASCII case (`lower` must be lower-case). */
export function equalsIgnoreCase(buf: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    // `| 0x20` folds A-Z onto a-z and leaves digits and '-' unchanged.
    if ((buf[start + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
