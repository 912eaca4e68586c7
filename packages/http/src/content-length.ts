/**
 * Parses a `Content-Length` value: a non-negative decimal integer of at most 15 digits (so it
 * stays a safe integer), or -1 when the value is malformed. No sign, spaces or list.
 */
export function parseContentLength(value: string): number {
  if (value.length === 0 || value.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
