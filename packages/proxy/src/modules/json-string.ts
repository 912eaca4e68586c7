import { Buffer } from "node:buffer";
/** Any char a JSON string literal cannot hold as it is, or that is not printable ASCII. */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/**
 * `s` as a JSON string literal. Strings of printable ASCII without `"` or `\` (nearly all
 * log values: addresses, methods, paths, user agents) are quoted as they are after one
 * regular-expression scan (about twice as fast as a `charCodeAt` loop on a 100-char user
 * agent); the rest go through `JSON.stringify`, which escapes control characters, quotes,
 * backslashes and lone surrogates.
 */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * `s`, a string of wire bytes (latin1: one char per byte, as `@zp/http` keeps request
 * targets and header values), as a JSON string literal of its text: bytes that form valid
 * UTF-8 are decoded (a user agent's `ü` arrives as the two bytes C3 BC), invalid sequences
 * keep their byte values as U+0080..U+00FF. Strings with chars above U+00FF are JS text
 * already and are quoted as they are.
 */
export function jsonWireString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let high = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return JSON.stringify(s);
    if (c >= 0x80) high = true;
  }
  if (!high) return JSON.stringify(s);
  const decoded = Buffer.from(s, "latin1").toString("utf8");
  // U+FFFD in the result marks invalid UTF-8, unless the bytes spelled U+FFFD themselves.
  return JSON.stringify(decoded.includes("\ufffd") && !s.includes("\u00ef\u00bf\u00bd") ? s : decoded);
}

/**
 * `ms` rounded to microseconds as a JSON number (`3.457`, `12`, `0.05`), without the
 * shortest-round-trip double formatting `String(number)` does for fractions (several times
 * slower); `null` when not finite.
 */
export function jsonMillis(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "null";
  let us = Math.round(ms * 1000);
  if (us % 1000 === 0) return `${us / 1000}`;
  const sign = us < 0 ? "-" : "";
  if (us < 0) us = -us;
  const whole = Math.floor(us / 1000);
  let frac = us - whole * 1000;
  let digits = 3;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const text = `${frac}`;
  return `${sign}${whole}.${text.length < digits ? "00".slice(0, digits - text.length) + text : text}`;
}
