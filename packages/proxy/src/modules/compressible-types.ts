import { ModuleError, ModuleErrorType } from "./module-error.js";

/**
 * Media types compressed by default: text, the common structured-text formats, SVG, icons
 * and uncompressed fonts. `type/*` covers a whole top-level type and `+suffix` every type
 * with that structured syntax suffix (RFC 6838 §4.2.8).
 */
export const DEFAULT_COMPRESSIBLE_TYPES: readonly string[] = Object.freeze([
  "text/*",
  "application/json",
  "application/javascript",
  "application/x-javascript",
  "application/ecmascript",
  "application/xml",
  "application/x-ndjson",
  "application/yaml",
  "application/x-yaml",
  "application/toml",
  "application/graphql",
  "application/wasm",
  "application/vnd.ms-fontobject",
  "application/x-font-ttf",
  "application/x-font-opentype",
  "image/svg+xml",
  "image/x-icon",
  "image/vnd.microsoft.icon",
  "image/bmp",
  "font/ttf",
  "font/otf",
  "font/collection",
  "+json",
  "+xml",
  "+yaml",
]);

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * Decides whether a `Content-Type` value names a compressible media type. Entries are
 * `type/subtype` (exact), `type/*` (any subtype) or `+suffix` (a structured syntax
 * suffix); matching ignores case and parameters (`; charset=...`).
 */
export class ContentTypeMatcher {
  private readonly exact = new Set<string>();
  private readonly types = new Set<string>();
  private readonly suffixes = new Set<string>();
  /** Last answers, one per value length mod 16: responses repeat a few exact values. */
  private readonly cacheKeys: (string | undefined)[] = new Array<string | undefined>(16).fill(undefined);
  private readonly cacheValues: boolean[] = new Array<boolean>(16).fill(false);

  /** Throws an `InvalidOption` {@link ModuleError} for an entry of none of the three forms. */
  constructor(entries: readonly string[] = DEFAULT_COMPRESSIBLE_TYPES) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      const slash = entry.indexOf("/");
      if (entry.startsWith("+") && TOKEN.test(entry.slice(1))) this.suffixes.add(entry);
      else if (slash > 0 && entry.endsWith("/*") && TOKEN.test(entry.slice(0, slash))) this.types.add(entry.slice(0, slash));
      else if (slash > 0 && TOKEN.test(entry.slice(0, slash)) && TOKEN.test(entry.slice(slash + 1))) this.exact.add(entry);
      else throw new ModuleError(ModuleErrorType.InvalidOption, `bad compressible type ${JSON.stringify(raw)}`);
    }
  }

  /** Whether `contentType` (a whole field value, parameters allowed) matches an entry. */
  matches(contentType: string): boolean {
    const slot = contentType.length & 15;
    if (this.cacheKeys[slot] === contentType) return this.cacheValues[slot]!;
    const result = this.match(contentType);
    this.cacheKeys[slot] = contentType;
    this.cacheValues[slot] = result;
    return result;
  }

  private match(contentType: string): boolean {
    let end = contentType.indexOf(";");
    if (end === -1) end = contentType.length;
    let start = 0;
    while (start < end && contentType.charCodeAt(start) <= 0x20) start++;
    while (end > start && contentType.charCodeAt(end - 1) <= 0x20) end--;
    if (start === end) return false;
    const media = contentType.slice(start, end).toLowerCase();
    if (this.exact.has(media)) return true;
    const slash = media.indexOf("/");
    if (slash <= 0) return false;
    if (this.types.size > 0 && this.types.has(media.slice(0, slash))) return true;
    if (this.suffixes.size > 0) {
      const plus = media.lastIndexOf("+");
      if (plus > slash && this.suffixes.has(media.slice(plus))) return true;
    }
    return false;
  }
}
