// Interned strings for common header names, so turning a field name into a string
// usually costs a few byte compares and no allocation. Matching is exact (case-sensitive):
// a name is only replaced by a constant that has the very same bytes, so the result is
// identical to decoding the bytes.

/** Common field names, lower-case. Each is also interned in Title-Case. */
const LOWER_NAMES = [
  "accept", "accept-charset", "accept-encoding", "accept-language", "accept-ranges",
  "access-control-allow-credentials", "access-control-allow-headers", "access-control-allow-methods",
  "access-control-allow-origin", "access-control-expose-headers", "access-control-max-age",
  "access-control-request-headers", "access-control-request-method", "age", "allow", "alt-svc",
  "authorization", "cache-control", "cdn-loop", "connection", "content-disposition",
  "content-encoding", "content-language", "content-length", "content-location", "content-range",
  "content-security-policy", "content-type", "cookie", "date", "dnt", "etag", "expect", "expires",
  "forwarded", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range",
  "if-unmodified-since", "keep-alive", "last-modified", "link", "location", "origin", "pragma",
  "priority", "proxy-authenticate", "proxy-authorization", "proxy-connection", "range", "referer",
  "referrer-policy", "retry-after", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform",
  "sec-fetch-dest", "sec-fetch-mode", "sec-fetch-site", "sec-fetch-user", "sec-websocket-accept",
  "sec-websocket-extensions", "sec-websocket-key", "sec-websocket-protocol", "sec-websocket-version",
  "server", "set-cookie", "strict-transport-security", "te", "trailer", "transfer-encoding",
  "upgrade", "upgrade-insecure-requests", "user-agent", "vary", "via", "warning", "www-authenticate",
  "x-content-type-options", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
  "x-frame-options", "x-powered-by", "x-real-ip", "x-request-id", "x-requested-with",
  "x-xss-protection",
];

/** Spellings that are common on the wire but are not plain Title-Case. */
const OTHER_SPELLINGS = ["ETag", "DNT", "TE", "WWW-Authenticate", "X-XSS-Protection", "X-Real-IP", "X-Request-ID"];

function titleCase(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

const BUCKETS = 512;

/** Bucket of a name from its length and three of its bytes; the same formula for bytes and strings. */
function bucketOf(len: number, first: number, mid: number, last: number): number {
  return (len * 61 + first * 31 + mid * 7 + last) & (BUCKETS - 1);
}

/** Every interned name, for tests and tools. */
export const INTERNED_NAMES: readonly string[] = (() => {
  const all = new Set<string>();
  for (const lower of LOWER_NAMES) {
    all.add(lower);
    all.add(titleCase(lower));
  }
  for (const name of OTHER_SPELLINGS) all.add(name);
  // Property keys are internalized strings: flat, hashed once, compared by pointer.
  const keys: Record<string, true> = {};
  for (const name of all) keys[name] = true;
  return Object.freeze(Object.keys(keys));
})();

// A chained hash table in typed arrays: `head[bucket]` is the first candidate (or -1),
// `next[i]` the following one. Candidate `i` has its `len[i]` bytes at `pool[4 * at[i]]`
// (each name starts on a 4-byte boundary), and `words` holds the pool 4 bytes to an int,
// first byte lowest, so names can be compared 4 bytes at a time.
const head = new Int16Array(BUCKETS).fill(-1);
const next = new Int16Array(INTERNED_NAMES.length).fill(-1);
const at = new Uint16Array(INTERNED_NAMES.length);
const len = new Uint8Array(INTERNED_NAMES.length);
const words = new Int32Array(INTERNED_NAMES.reduce((n, name) => n + ((name.length + 3) >> 2), 0));
const pool = new Uint8Array(words.length * 4);
{
  let word = 0;
  INTERNED_NAMES.forEach((name, i) => {
    const n = name.length;
    for (let j = 0; j < n; j++) pool[word * 4 + j] = name.charCodeAt(j);
    at[i] = word;
    len[i] = n;
    word += (n + 3) >> 2;
    const b = bucketOf(n, name.charCodeAt(0), name.charCodeAt(n >> 1), name.charCodeAt(n - 1));
    next[i] = head[b]!;
    head[b] = i;
  });
  for (let w = 0; w < words.length; w++) {
    words[w] = pool[w * 4]! | (pool[w * 4 + 1]! << 8) | (pool[w * 4 + 2]! << 16) | (pool[w * 4 + 3]! << 24);
  }
}

/** Whether `buf[p..p + len[id])` holds exactly the bytes of name `id`. */
function sameBytes(id: number, buf: Uint8Array, p: number): boolean {
  const end = p + len[id]!;
  let w = at[id]!;
  let j = p;
  for (; j + 4 <= end; j += 4, w++) {
    if ((buf[j]! | (buf[j + 1]! << 8) | (buf[j + 2]! << 16) | (buf[j + 3]! << 24)) !== words[w]) return false;
  }
  for (let k = w * 4 - j; j < end; j++) if (pool[k + j] !== buf[j]) return false;
  return true;
}

/** Number of interned names; ids run from 0 to `NAME_COUNT - 1`. */
export const NAME_COUNT = INTERNED_NAMES.length;

/**
 * The id of the interned name whose bytes are exactly `buf[start..end)`, or -1 when the
 * name is not a common one.
 */
export function internId(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n <= 0) return -1;
  for (let i = head[bucketOf(n, buf[start]!, buf[start + (n >> 1)]!, buf[end - 1]!)]!; i >= 0; i = next[i]!) {
    if (len[i] === n && sameBytes(i, buf, start)) return i;
  }
  return -1;
}

/**
 * The interned string whose bytes are exactly `buf[start..end)`, or `undefined` when the
 * name is not a common one. Allocates nothing.
 */
export function internName(buf: Uint8Array, start: number, end: number): string | undefined {
  const id = internId(buf, start, end);
  return id < 0 ? undefined : INTERNED_NAMES[id];
}

/**
 * If `buf` holds interned name `id` at `p` (exact bytes, and at least one more byte
 * follows before `end`), the index after the name; otherwise -1.
 */
export function matchNameAt(id: number, buf: Uint8Array, p: number, end: number): number {
  const n = len[id]!;
  return p + n < end && sameBytes(id, buf, p) ? p + n : -1;
}
