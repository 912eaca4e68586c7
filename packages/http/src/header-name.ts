import { Buffer } from "node:buffer";
import { FIELD_VALUE_CHARS, isToken } from "./token.js";

/**
 * Names a proxy sees on most messages, in the Title-Case browsers and servers send them.
 * Their lowercase keys are interned string constants, so comparing two of them is a
 * pointer check.
 */
const COMMON_NAMES = [
  "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Access-Control-Allow-Origin",
  "Age", "Allow", "Authorization", "Cache-Control", "Connection", "Content-Disposition", "Content-Encoding",
  "Content-Language", "Content-Length", "Content-Location", "Content-Range", "Content-Security-Policy",
  "Content-Type", "Cookie", "Date", "DNT", "ETag", "Expect", "Expires", "Forwarded", "From", "Host",
  "If-Match", "If-Modified-Since", "If-None-Match", "If-Range", "If-Unmodified-Since", "Keep-Alive",
  "Last-Modified", "Link", "Location", "Origin", "Pragma", "Proxy-Authenticate", "Proxy-Authorization",
  "Proxy-Connection", "Range", "Referer", "Retry-After", "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform",
  "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", "Server", "Set-Cookie",
  "Strict-Transport-Security", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Upgrade-Insecure-Requests",
  "User-Agent", "Vary", "Via", "WWW-Authenticate", "X-Content-Type-Options", "X-Forwarded-For",
  "X-Forwarded-Host", "X-Forwarded-Proto", "X-Frame-Options", "X-Real-IP", "X-Request-ID", "X-Requested-With",
];

/** A common header name in one spelling: its lookup key and its wire bytes. */
export interface CommonName {
  /** The lowercase key (an interned constant). */
  readonly key: string;
  /** `keyTag(key)`, computed once. */
  readonly tag: number;
  /** The spelling as latin1 bytes; copying these is cheaper than reading string chars. */
  readonly bytes: Uint8Array;
}

/**
 * A digest of a lowercase key from its length and three of its chars. Comparing two small
 * integers is inlined by the JIT, a string comparison is a call; most non-matching keys
 * differ here ("sec-fetch-site" and "sec-fetch-mode" differ in their second-to-last char).
 */
export function keyTag(key: string): number {
  const len = key.length;
  // charCodeAt out of range is NaN, which `<<` turns into 0.
  return (len & 0xff) | (key.charCodeAt(0) << 8) | ((key.charCodeAt(len - 1) & 0xff) << 16) | ((key.charCodeAt(len - 2) & 0xff) << 24);
}

/** Lowercase, Title-Case and upper-case spellings of the common names. */
const commonNames = new Map<string, CommonName>();
for (const name of COMMON_NAMES) {
  const key = name.toLowerCase();
  for (const spelling of [key, name, name.toUpperCase()]) {
    commonNames.set(spelling, { key, tag: keyTag(key), bytes: new Uint8Array(Buffer.from(spelling, "latin1")) });
  }
}

/** The table entry of `name` when it is a common name in a usual spelling. */
export function commonName(name: string): CommonName | undefined {
  return commonNames.get(name);
}

/**
 * The case-insensitive lookup key of a header name: its ASCII-lowercase form. Common names
 * in their usual spellings come from a table (a hash lookup, and the key is an interned
 * constant, so later comparisons are pointer checks); another name that is already
 * lowercase is returned as it is; anything else is lowercased once.
 */
export function headerKey(name: string): string {
  const known = commonNames.get(name);
  return known !== undefined ? known.key : lowercaseName(name);
}

/**
 * {@link headerKey} for lookups: a name that starts with a lowercase letter (how code names
 * the fields it looks for) is checked by one scan and returned as it is, without the table's
 * hash lookup; others go through {@link headerKey}.
 */
export function lookupKey(name: string): string {
  const c = name.charCodeAt(0);
  return c >= 0x61 && c <= 0x7a ? lowercaseName(name) : headerKey(name);
}

/** `name` with ASCII letters lowercased, or `name` itself when it has no upper-case ASCII letter. */
export function lowercaseName(name: string): string {
  const len = name.length;
  let upper = false;
  for (let i = 0; i < len; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) upper = true;
    // Field names are ASCII-case-insensitive only: toLowerCase would fold "É" as well.
    else if (c >= 0x80) return upper || /[A-Z]/.test(name) ? name.replace(/[A-Z]+/g, asciiLower) : name;
  }
  return upper ? name.toLowerCase() : name;
}

function asciiLower(letters: string): string {
  return letters.toLowerCase();
}

/** Whether `name` is a valid field name: a non-empty RFC 9110 token (§5.1). */
export function isValidHeaderName(name: string): boolean {
  return isToken(name);
}

/**
 * Whether `value` is a valid field value (RFC 9110 §5.5): HTAB, SP, visible ASCII and
 * obs-text (0x80..0xFF), with no leading or trailing whitespace (a parser would strip it,
 * so it could not survive a round trip). The empty value is valid. Characters above 0xFF
 * are rejected: values are latin1 strings, one char per wire byte.
 */
export function isValidHeaderValue(value: string): boolean {
  const len = value.length;
  if (len === 0) return true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(len - 1);
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) return false;
  // Short values: a table loop; long ones: the regex engine's compiled scan is quicker.
  if (len > 16) return FIELD_VALUE_RE.test(value);
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || FIELD_VALUE_CHARS[c] === 0) return false;
  }
  return true;
}

/** The same class as FIELD_VALUE_CHARS. */
const FIELD_VALUE_RE = /^[\t\x20-\x7e\x80-\xff]*$/;
