import { HeaderMap, ResponseHeader, copyOut, reasonPhrase } from "@zp/http";
import type { FieldsView, H1Head } from "@zp/h1-parser";

/** The header fields of a parsed section as a {@link HeaderMap} of strings (names as received, wire order). */
export function toHeaderMap(fields: FieldsView): HeaderMap {
  const map = new HeaderMap();
  for (let i = 0, n = fields.count; i < n; i++) map.appendUnchecked(fields.name(i), fields.value(i));
  return map;
}

/**
 * The header fields of a parsed section as a {@link HeaderMap} held as wire bytes
 * (`HeaderMap.fromWire`): the fields' bytes are copied out of the parser's view (a reused
 * read buffer), and no string is made until someone asks for one.
 */
export function toWireHeaderMap(fields: FieldsView): HeaderMap {
  const count = fields.count;
  if (count === 0) return new HeaderMap();
  const offsets = fields.offsets;
  const start = offsets[0]!;
  // the last field's CRLF too, so that a field as received can be written by one copy
  const end = Math.min(offsets[4 * count - 1]! + 2, fields.buf.length);
  const bytes = copyOut(fields.buf, start, end);
  const rebased = new Array<number>(4 * count);
  for (let i = 0; i < 4 * count; i++) rebased[i] = offsets[i]! - start;
  return HeaderMap.fromWire(bytes, rebased, count);
}

/** A parsed response head as a {@link ResponseHeader} (the parser validated every part). */
export function toResponseHeader(head: H1Head): ResponseHeader {
  const status = head.status;
  // the registered phrase (what most servers send) is kept as "none set": no string to make
  const reason = head.reasonIs(reasonPhrase(status)) ? undefined : head.reason;
  return ResponseHeader.unchecked(status, head.versionMinor === 0 ? "HTTP/1.0" : "HTTP/1.1", toWireHeaderMap(head.fields), reason);
}
