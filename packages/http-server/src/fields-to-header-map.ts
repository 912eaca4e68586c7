import type { FieldsView } from "@zp/h1-parser";
import { HeaderMap } from "@zp/http";

/** Copies the fields of a parser's view into a new {@link HeaderMap} (names keep their case). */
export function fieldsToHeaderMap(fields: FieldsView): HeaderMap {
  const map = new HeaderMap();
  const buf = fields.buf;
  const o = fields.offsets;
  const n = fields.count;
  for (let i = 0; i < n; i++) {
    const k = i * 4;
    map.appendBytes(buf, o[k]!, o[k + 1]!, o[k + 2]!, o[k + 3]!);
  }
  return map;
}
