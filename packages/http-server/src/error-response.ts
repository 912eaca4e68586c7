import { Buffer } from "node:buffer";
import { copyBytes } from "@zp/http";
import { DATE_LINE_LENGTH, dateLine } from "./date-line.js";
import { statusLine } from "./status-line.js";

const TAIL = Buffer.from("Content-Length: 0\r\nConnection: close\r\n\r\n", "latin1");

/**
 * The bytes of an answer the server gives in the application's place (limits, timeouts,
 * malformed requests, handler failures): status line, Date, Server, an empty body and
 * `Connection: close`.
 */
export function errorResponse(status: number, serverLine: Buffer): Buffer {
  const line = statusLine(status);
  const out = Buffer.allocUnsafe(line.length + DATE_LINE_LENGTH + serverLine.length + TAIL.length);
  let at = copyBytes(out, line, 0);
  at = copyBytes(out, dateLine(), at);
  at = copyBytes(out, serverLine, at);
  copyBytes(out, TAIL, at);
  return out;
}
