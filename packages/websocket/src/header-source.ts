/**
 * Request or response headers in any of the shapes users hold them in: an object with
 * `get(name)` (the WHATWG `Headers`, `@zp/http`'s `HeaderMap`), Node's
 * `IncomingHttpHeaders` record, or a list of `[name, value]` pairs.
 */
export type HeaderSource =
  | { get(name: string): string | null | undefined }
  | Record<string, string | string[] | undefined>
  | Iterable<readonly [string, string]>;

/** A case-insensitive header reader: all values of a field joined with ", ", or undefined. */
export type HeaderLookup = (lowerCaseName: string) => string | undefined;

/** Builds a {@link HeaderLookup} over any {@link HeaderSource}. */
export function headerLookup(source: HeaderSource): HeaderLookup {
  if (typeof (source as { getAll?: unknown }).getAll === "function") {
    // HeaderMap-like: prefer all values joined, so duplicates are visible.
    const map = source as unknown as { getAll(name: string): string[] };
    return (name) => {
      const all = map.getAll(name);
      return all.length === 0 ? undefined : all.join(", ");
    };
  }
  if (typeof (source as { get?: unknown }).get === "function") {
    const map = source as { get(name: string): string | null | undefined };
    return (name) => map.get(name) ?? undefined;
  }
  if (typeof (source as Iterable<unknown>)[Symbol.iterator] === "function") {
    const values = new Map<string, string>();
    for (const [name, value] of source as Iterable<readonly [string, string]>) {
      const key = name.toLowerCase();
      const prev = values.get(key);
      values.set(key, prev === undefined ? value : `${prev}, ${value}`);
    }
    return (name) => values.get(name);
  }
  const record = source as Record<string, string | string[] | undefined>;
  return (name) => {
    const v = record[name];
    return Array.isArray(v) ? v.join(", ") : v;
  };
}

/** The comma-separated tokens of a header value, trimmed, empty ones dropped. */
export function headerTokens(value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const part of value.split(",")) {
    const t = part.trim();
    if (t.length > 0) out.push(t);
  }
  return out;
}
