/**
 * Character classes of RFC 9110 as 256-entry tables, indexed by a latin1 char code.
 * Looking a byte up in a typed array is cheaper than a regex on short strings.
 */

/** 1 for the `tchar`s of RFC 9110 §5.6.2: ALPHA, DIGIT and `!#$%&'*+-.^_`|~`. */
export const TOKEN_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let c = 0x30; c <= 0x39; c++) table[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) table[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = 1;
  for (const ch of "!#$%&'*+-.^_`|~") table[ch.charCodeAt(0)] = 1;
  return table;
})();

/** 1 for the characters a field value may hold (RFC 9110 §5.5): HTAB, SP, VCHAR and obs-text. */
export const FIELD_VALUE_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  table[0x09] = 1;
  for (let c = 0x20; c <= 0x7e; c++) table[c] = 1;
  for (let c = 0x80; c <= 0xff; c++) table[c] = 1;
  return table;
})();

/** Whether `value` is a non-empty RFC 9110 token (method names, header names). */
export function isToken(value: string): boolean {
  const len = value.length;
  if (len === 0) return false;
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || TOKEN_CHARS[c] === 0) return false;
  }
  return true;
}
