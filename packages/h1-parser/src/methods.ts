/** The request methods the parser accepts: the HTTP methods Node's own parser knows. */
export const METHODS: readonly string[] = Object.freeze([
  "ACL", "BIND", "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LINK", "LOCK", "M-SEARCH",
  "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MOVE", "NOTIFY", "OPTIONS", "PATCH", "POST",
  "PROPFIND", "PROPPATCH", "PURGE", "PUT", "QUERY", "REBIND", "REPORT", "SEARCH", "SOURCE",
  "SUBSCRIBE", "TRACE", "UNBIND", "UNLINK", "UNLOCK", "UNSUBSCRIBE",
]);

interface Candidate {
  readonly bytes: Uint8Array;
  readonly name: string;
}

// Candidates grouped by first byte; each lookup compares at most a handful of short byte runs.
const byFirstByte: (Candidate[] | undefined)[] = new Array(256);
for (const name of METHODS) {
  const bytes = new Uint8Array(name.length);
  for (let i = 0; i < name.length; i++) bytes[i] = name.charCodeAt(i);
  const list = (byFirstByte[bytes[0]!] ??= []);
  list.push({ bytes, name });
}

/**
 * The interned method string for `buf[start..end)`, or `undefined` if it is not a known
 * method. Methods are case-sensitive (RFC 9110 §9.1).
 */
export function matchMethod(buf: Uint8Array, start: number, end: number): string | undefined {
  const list = byFirstByte[buf[start]!];
  if (list === undefined) return undefined;
  const len = end - start;
  outer: for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const bytes = c.bytes;
    if (bytes.length !== len) continue;
    for (let j = 1; j < len; j++) if (bytes[j] !== buf[start + j]) continue outer;
    return c.name;
  }
  return undefined;
}
