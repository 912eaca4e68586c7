import { Buffer } from "node:buffer";
import { reasonPhrase } from "@zp/http";

/** `HTTP/1.1 ddd Reason\r\n` per status with its registered reason, built on first use. */
const cache: (Buffer | undefined)[] = new Array(1000);

/**
 * The status line for `status` with `reason` (default: the registered phrase). Lines
 * with the registered phrase are cached and shared; never modify the result.
 */
export function statusLine(status: number, reason?: string): Buffer {
  if (reason === undefined || reason === reasonPhrase(status)) {
    let line = cache[status];
    if (line === undefined) {
      line = Buffer.from(`HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`, "latin1");
      cache[status] = line;
    }
    return line;
  }
  return Buffer.from(`HTTP/1.1 ${status} ${reason}\r\n`, "latin1");
}
