import { isValidHeaderName } from "@zp/http";
import type { ConfPath } from "@zp/runtime";
import { describeValue } from "@zp/runtime";
import type { ConfReader } from "./conf-reader.js";
import { isValidHost } from "./host-port.js";
import type { CompressionConfig, RateLimitConfig, RateLimitKeyConfig, RouteConfig } from "./proxy-config.js";
import { unknownMessage } from "./suggest.js";
import { readHeaderEdits } from "./validate-header-edits.js";

const ROUTE_KEYS = ["host", "path_prefix", "upstream", "strip_prefix", "request_headers", "response_headers", "rate_limit", "compression"] as const;
const RATE_KEYS = ["requests_per_second", "burst", "key"] as const;
const COMPRESSION_KEYS = ["enabled", "min_size", "types"] as const;

const TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]+";
/** `type/subtype`, `type/*` or `+suffix` (what the proxy's compressible type matcher takes). */
const MEDIA_RANGE = new RegExp(`^(?:${TOKEN}/(?:\\*|${TOKEN})|\\+${TOKEN})$`);

/** Compression defaults of a route that turns it on. */
export const COMPRESSION_DEFAULTS = Object.freeze({ minSize: 1024 });

function readHosts(r: ConfReader, value: unknown, path: ConfPath): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  items.forEach((item, i) => {
    const at = Array.isArray(value) ? [...path, i] : path;
    if (typeof item !== "string") {
      r.issue(at, `must be a host name or "*.suffix", got ${describeValue(item)}`);
      return;
    }
    const host = item.toLowerCase();
    const name = host.startsWith("*.") ? host.slice(2) : host;
    if (!isValidHost(name)) r.issue(at, `must be a host name or "*.suffix", got ${JSON.stringify(item)}`);
    else out.push(host);
  });
  return out;
}

function readRateLimit(r: ConfReader, value: unknown, path: ConfPath): RateLimitConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const map = r.mapping(value, path, RATE_KEYS);
  if (map === undefined) return undefined;
  if (map.requests_per_second === undefined) {
    r.issue([...path, "requests_per_second"], "required");
    return undefined;
  }
  const rps = r.positive(map.requests_per_second, [...path, "requests_per_second"]);
  const burst = map.burst === undefined ? undefined : r.integer(map.burst, [...path, "burst"], 1, 1_000_000);
  let key: RateLimitKeyConfig = { kind: "client_ip" };
  if (map.key !== undefined && map.key !== "client_ip") {
    const text = map.key;
    const name = typeof text === "string" && text.startsWith("header:") ? text.slice(7).trim() : undefined;
    if (name !== undefined && isValidHeaderName(name)) key = { kind: "header", name };
    else r.issue([...path, "key"], `must be client_ip or header:<name>, got ${describeValue(text)}`);
  }
  return rps === undefined ? undefined : { requestsPerSecond: rps, burst, key };
}

function readCompression(r: ConfReader, value: unknown, path: ConfPath): CompressionConfig | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (value === true) return { enabled: true, minSize: COMPRESSION_DEFAULTS.minSize, types: undefined };
  const map = r.mapping(value, path, COMPRESSION_KEYS);
  if (map === undefined) return undefined;
  const out: CompressionConfig = { enabled: true, minSize: COMPRESSION_DEFAULTS.minSize, types: undefined };
  if (map.enabled !== undefined) out.enabled = r.boolean(map.enabled, [...path, "enabled"]) ?? true;
  if (map.min_size !== undefined) out.minSize = r.integer(map.min_size, [...path, "min_size"], 0, Number.MAX_SAFE_INTEGER) ?? out.minSize;
  if (map.types !== undefined) {
    const list = r.list(map.types, [...path, "types"]);
    const types: string[] = [];
    list?.forEach((t, i) => {
      if (typeof t !== "string" || !MEDIA_RANGE.test(t.trim().toLowerCase())) {
        r.issue([...path, "types", i], `must be a media type such as "application/json", "text/*" or "+json", got ${describeValue(t)}`);
        return;
      }
      types.push(t.trim().toLowerCase());
    });
    out.types = types;
  }
  return out.enabled ? out : undefined;
}

function readRoute(r: ConfReader, value: unknown, path: ConfPath, groups: readonly string[]): RouteConfig | undefined {
  const map = r.mapping(value, path, ROUTE_KEYS);
  if (map === undefined) return undefined;
  const hosts = readHosts(r, map.host, [...path, "host"]);
  let pathPrefix: string | undefined;
  if (map.path_prefix !== undefined) {
    const prefix = r.string(map.path_prefix, [...path, "path_prefix"]);
    if (prefix !== undefined) {
      if (!/^\/[\x21-\x7e]*$/.test(prefix)) r.issue([...path, "path_prefix"], `must start with "/" and hold no spaces, got ${JSON.stringify(prefix)}`);
      else if (prefix.includes("?")) r.issue([...path, "path_prefix"], `must not hold a query, got ${JSON.stringify(prefix)}`);
      else pathPrefix = prefix === "/" ? undefined : prefix;
    }
  }
  let upstream = "";
  if (map.upstream === undefined) {
    if (groups.length === 1) upstream = groups[0]!;
    else r.issue([...path, "upstream"], `required: the name of an upstream group (${groups.join(", ")})`);
  } else {
    const name = r.string(map.upstream, [...path, "upstream"]);
    if (name !== undefined && !groups.includes(name)) r.issue([...path, "upstream"], unknownMessage(`unknown upstream group ${JSON.stringify(name)}`, name, groups));
    else if (name !== undefined) upstream = name;
  }
  const stripPrefix = map.strip_prefix === undefined ? false : (r.boolean(map.strip_prefix, [...path, "strip_prefix"]) ?? false);
  if (stripPrefix && pathPrefix === undefined) r.issue([...path, "strip_prefix"], "needs a path_prefix other than /");
  return {
    hosts,
    pathPrefix,
    upstream,
    stripPrefix,
    requestHeaders: readHeaderEdits(r, map.request_headers, [...path, "request_headers"]),
    responseHeaders: readHeaderEdits(r, map.response_headers, [...path, "response_headers"]),
    rateLimit: readRateLimit(r, map.rate_limit, [...path, "rate_limit"]),
    compression: readCompression(r, map.compression, [...path, "compression"]),
  };
}

/**
 * `routes:` an ordered list. When absent and there is exactly one upstream group, every
 * request goes to it.
 */
export function readRoutes(r: ConfReader, value: unknown, path: ConfPath, groups: readonly string[]): RouteConfig[] {
  if (value === undefined || value === null) {
    if (groups.length > 1) r.issue(path, `required when there are several upstream groups (${groups.join(", ")})`);
    if (groups.length !== 1) return [];
    return [readRoute(r, {}, path, groups)!];
  }
  const list = r.list(value, path);
  if (list === undefined) return [];
  if (list.length === 0) r.issue(path, "must hold at least one route");
  const out: RouteConfig[] = [];
  list.forEach((item, i) => {
    const route = readRoute(r, item, [...path, i], groups);
    if (route !== undefined) out.push(route);
  });
  return out;
}
