import { HeaderMap, ResponseHeader } from "@zp/http";
import type { FieldsView, H1Head } from "@zp/h1-parser";

/** The header fields of a parsed section as a {@link HeaderMap} (names as received, wire order). */
export function toHeaderMap(fields: FieldsView): HeaderMap {
  const map = new HeaderMap();
  for (let i = 0, n = fields.count; i < n; i++) map.appendUnchecked(fields.name(i), fields.value(i));
  return map;
}

/** A parsed response head as a {@link ResponseHeader} (the parser validated every part). */
export function toResponseHeader(head: H1Head): ResponseHeader {
  return ResponseHeader.unchecked(head.status, head.versionMinor === 0 ? "HTTP/1.0" : "HTTP/1.1", toHeaderMap(head.fields), head.reason);
}
