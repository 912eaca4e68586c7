/** A content coding this module produces (RFC 9110 §8.4.1). */
export type ContentEncoding = "br" | "gzip";

/** The default server preference: brotli, then gzip. */
export const DEFAULT_ENCODINGS: readonly ContentEncoding[] = Object.freeze(["br", "gzip"] as const);

/** Not mentioned in the header. */
const ABSENT = -1;

/**
 * Parses a qvalue (RFC 9110 §12.4.2) from `text[start, end)`: `0`, `0.5`, `1`, `1.000`.
 * Anything else (out of range, more than three decimals, junk) counts as 0, so a malformed
 * preference never turns a coding on.
 */
function parseQ(text: string, start: number, end: number): number {
  while (start < end && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  if (start === end) return 0;
  const first = text.charCodeAt(start);
  if (first !== 0x30 && first !== 0x31) return 0;
  let value = first - 0x30;
  if (end === start + 1) return value;
  if (text.charCodeAt(start + 1) !== 0x2e || end - start > 5) return 0;
  let scale = 0.1;
  for (let i = start + 2; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return 0;
    value += d * scale;
    scale /= 10;
  }
  return value > 1 ? 0 : value;
}

/** Whether `text[start, end)` equals the lowercase ASCII `word`, ignoring case. */
function equalsIgnoreCase(text: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if ((text.charCodeAt(start + i) | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** Preferences read from one Accept-Encoding value (reused: negotiation runs per request). */
const prefs = { br: ABSENT, gzip: ABSENT, star: ABSENT, identity: ABSENT };

function readPreferences(header: string): void {
  prefs.br = ABSENT;
  prefs.gzip = ABSENT;
  prefs.star = ABSENT;
  prefs.identity = ABSENT;
  const length = header.length;
  let pos = 0;
  while (pos < length) {
    // One element: OWS coding *( OWS ";" OWS param ) OWS, up to the next comma.
    let elementEnd = header.indexOf(",", pos);
    if (elementEnd === -1) elementEnd = length;
    let start = pos;
    while (start < elementEnd && (header.charCodeAt(start) === 0x20 || header.charCodeAt(start) === 0x09)) start++;
    let nameEnd = start;
    while (nameEnd < elementEnd) {
      const c = header.charCodeAt(nameEnd);
      if (c === 0x3b || c === 0x20 || c === 0x09) break;
      nameEnd++;
    }
    let q = 1;
    // Parameters: only q matters.
    let param = header.indexOf(";", nameEnd);
    while (param !== -1 && param < elementEnd) {
      let nextParam = header.indexOf(";", param + 1);
      if (nextParam === -1 || nextParam > elementEnd) nextParam = elementEnd;
      let p = param + 1;
      while (p < nextParam && (header.charCodeAt(p) === 0x20 || header.charCodeAt(p) === 0x09)) p++;
      if ((header.charCodeAt(p) | 0x20) === 0x71) {
        let eq = p + 1;
        while (eq < nextParam && (header.charCodeAt(eq) === 0x20 || header.charCodeAt(eq) === 0x09)) eq++;
        if (eq < nextParam && header.charCodeAt(eq) === 0x3d) q = parseQ(header, eq + 1, nextParam);
      }
      param = nextParam < elementEnd ? nextParam : -1;
    }
    if (nameEnd > start) {
      if (equalsIgnoreCase(header, start, nameEnd, "br")) prefs.br = Math.max(prefs.br, q);
      else if (equalsIgnoreCase(header, start, nameEnd, "gzip") || equalsIgnoreCase(header, start, nameEnd, "x-gzip")) {
        prefs.gzip = Math.max(prefs.gzip, q);
      } else if (nameEnd === start + 1 && header.charCodeAt(start) === 0x2a) prefs.star = Math.max(prefs.star, q);
      else if (equalsIgnoreCase(header, start, nameEnd, "identity")) prefs.identity = Math.max(prefs.identity, q);
    }
    pos = elementEnd + 1;
  }
}

/**
 * Picks the content coding for a response from the request's `Accept-Encoding` value
 * (RFC 9110 §12.5.3), or `undefined` to send the content as it is.
 *
 * - Only codings in `enabled` are considered; `enabled` is the server's preference order,
 *   which breaks ties between equal qvalues (by default `br` before `gzip`).
 * - A coding's weight is its own qvalue, else that of `*`, else 0; `q=0` refuses it.
 *   `x-gzip` counts as `gzip`; names are case-insensitive.
 * - `identity` (sending as is) is acceptable unless refused and loses ties: compression is
 *   chosen unless the client gives `identity` (or `*`) a strictly higher weight.
 * - No header or an empty one: `undefined` (most servers do not compress then either).
 * - When every coding and `identity` are refused, `undefined` too: a proxy forwards the
 *   content as it is rather than answering 406.
 *
 * @example
 * ```ts
 * negotiateEncoding("gzip, deflate, br"); // "br"
 * negotiateEncoding("br;q=0, gzip"); // "gzip"
 * negotiateEncoding("gzip;q=0.5, identity"); // undefined: identity is preferred
 * ```
 */
export function negotiateEncoding(
  acceptEncoding: string | undefined,
  enabled: readonly ContentEncoding[] = DEFAULT_ENCODINGS,
): ContentEncoding | undefined {
  if (acceptEncoding === undefined || acceptEncoding.length === 0 || enabled.length === 0) return undefined;
  // Clients send a handful of distinct values, byte for byte the same on every request:
  // remember the last answer per value length (the answer depends on nothing else).
  const slot = acceptEncoding.length & (CACHE_SLOTS - 1);
  if (cacheHeaders[slot] === acceptEncoding && cacheEnabled[slot] === enabled) return cacheResults[slot];
  const result = negotiate(acceptEncoding, enabled);
  cacheHeaders[slot] = acceptEncoding;
  cacheEnabled[slot] = enabled;
  cacheResults[slot] = result;
  return result;
}

const CACHE_SLOTS = 16;
const cacheHeaders: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);
const cacheEnabled: (readonly ContentEncoding[] | undefined)[] = new Array<readonly ContentEncoding[] | undefined>(CACHE_SLOTS).fill(undefined);
const cacheResults: (ContentEncoding | undefined)[] = new Array<ContentEncoding | undefined>(CACHE_SLOTS).fill(undefined);

function negotiate(acceptEncoding: string, enabled: readonly ContentEncoding[]): ContentEncoding | undefined {
  readPreferences(acceptEncoding);
  let best: ContentEncoding | undefined;
  let bestQ = 0;
  for (let i = 0; i < enabled.length; i++) {
    const coding = enabled[i]!;
    const own = coding === "br" ? prefs.br : prefs.gzip;
    const q = own !== ABSENT ? own : prefs.star !== ABSENT ? prefs.star : 0;
    if (q > bestQ) {
      bestQ = q;
      best = coding;
    }
  }
  if (best === undefined) return undefined;
  const identity = prefs.identity !== ABSENT ? prefs.identity : prefs.star;
  return identity !== ABSENT && identity > bestQ ? undefined : best;
}
