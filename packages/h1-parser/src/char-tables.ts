// Byte classes as 256-entry lookup tables: one indexed load per byte on the hot path.

function table(accept: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = accept(c) ? 1 : 0;
  return t;
}

const tcharSymbols = "!#$%&'*+-.^_`|~";

/** RFC 9110 `tchar`: the bytes of methods, field names and transfer codings. */
export const TOKEN = table(
  (c) =>
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || tcharSymbols.includes(String.fromCharCode(c)),
);

/** RFC 9110 field-value bytes: HTAB, SP, VCHAR and obs-text. */
export const FIELD_VALUE = table((c) => c === 0x09 || (c >= 0x20 && c !== 0x7f));

/** Request-target bytes: visible ASCII (no whitespace, controls, DEL or non-ASCII). */
export const URL_CHAR = table((c) => c > 0x20 && c < 0x7f);

/** Reason-phrase bytes: HTAB, SP, VCHAR and obs-text. */
export const REASON = FIELD_VALUE;

/** Hex digit values, or 255 for a byte that is not a hex digit. */
export const HEX = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let c = 0; c < 10; c++) t[0x30 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[0x41 + c] = 10 + c;
    t[0x61 + c] = 10 + c;
  }
  return t;
})();

/** Bytes allowed inside a quoted chunk-extension value (qdtext): HTAB, SP, VCHAR except `"` and `\`, obs-text. */
export const QDTEXT = table((c) => c === 0x09 || (c >= 0x20 && c !== 0x7f && c !== 0x22 && c !== 0x5c));
