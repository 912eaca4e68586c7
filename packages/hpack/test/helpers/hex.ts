/** Bytes from a hex dump such as RFC 7541 prints ("8286 8441 0f77"), whitespace ignored. */
export function hex(dump: string): Buffer {
  return Buffer.from(dump.replace(/\s+/g, ""), "hex");
}
