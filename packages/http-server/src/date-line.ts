import { Buffer } from "node:buffer";
/**
 * The `Date: ...\r\n` header line (RFC 9110 §6.6.1: an origin server with a clock sends
 * one). It is built on first use in a second and dropped by a timer at the next second
 * boundary, so responses pay neither a clock read nor date formatting, and an idle
 * process runs no timer at all.
 */
let cachedLine: Buffer | undefined;

/** Bytes of a date line: `Date: ` + 29 bytes of IMF-fixdate + CRLF. */
export const DATE_LINE_LENGTH = 37;

function forget(): void {
  cachedLine = undefined;
}

/** The current `Date` header line as bytes (shared; never modify it). */
export function dateLine(): Buffer {
  if (cachedLine !== undefined) return cachedLine;
  const now = Date.now();
  const line = Buffer.from(`Date: ${new Date(now).toUTCString()}\r\n`, "latin1");
  cachedLine = line;
  setTimeout(forget, 1000 - (now % 1000)).unref();
  return line;
}
