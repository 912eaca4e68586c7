import { isValidHeaderName, isValidHeaderValue } from "@zp/http";
import type { ConfPath } from "@zp/runtime";
import { describeValue } from "@zp/runtime";
import type { ConfReader } from "./conf-reader.js";
import type { FilePaths } from "./file-paths.js";
import { formatHostPort, isValidHost, parseHostPort } from "./host-port.js";
import { ALGORITHMS, type BackendConfig, type HashKeyConfig, type HostHeaderConfig, type UpstreamConfig, type UpstreamTlsConfig } from "./proxy-config.js";
import { readHealthCheck, readPassiveHealth } from "./validate-health.js";
import { readTimeouts } from "./validate-timeouts.js";

const UPSTREAM_KEYS = ["backends", "algorithm", "hash_key", "health_check", "passive_health", "tls", "host_header", "timeouts"] as const;
const BACKEND_KEYS = ["address", "port", "weight"] as const;
const TLS_KEYS = ["sni", "verify", "ca"] as const;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HASHED = new Set(["ketama", "fnv"]);

/** `"host:port"` or `{ address: "host:port", weight }` (or `{ address: host, port, weight }`). */
function readBackend(r: ConfReader, value: unknown, path: ConfPath): BackendConfig | undefined {
  if (typeof value === "string") {
    const parsed = parseHostPort(value, undefined, 1);
    if (typeof parsed === "string") {
      r.issue(path, parsed);
      return undefined;
    }
    return { address: parsed.host, port: parsed.port, weight: 1 };
  }
  const map = r.mapping(value, path, BACKEND_KEYS);
  if (map === undefined) return undefined;
  const weight = map.weight === undefined ? 1 : r.integer(map.weight, [...path, "weight"], 1, 65535);
  if (map.address === undefined) {
    r.issue([...path, "address"], `required, e.g. "127.0.0.1:3000"`);
    return undefined;
  }
  const text = r.string(map.address, [...path, "address"]);
  if (text === undefined) return undefined;
  let where: { host: string; port: number } | undefined;
  if (map.port !== undefined) {
    const port = r.integer(map.port, [...path, "port"], 1, 65535);
    const host = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
    if (!isValidHost(host)) r.issue([...path, "address"], `must be an IP address or a host name, got ${JSON.stringify(text)}`);
    else if (port !== undefined) where = { host, port };
  } else {
    const parsed = parseHostPort(text, undefined, 1);
    if (typeof parsed === "string") r.issue([...path, "address"], parsed);
    else where = parsed;
  }
  return where === undefined || weight === undefined ? undefined : { address: where.host, port: where.port, weight };
}

function readBackends(r: ConfReader, value: unknown, path: ConfPath): BackendConfig[] {
  if (value === undefined) {
    r.issue(path, `required: a list such as ["127.0.0.1:3000", { address: "127.0.0.1:3001", weight: 2 }]`);
    return [];
  }
  const list = r.list(value, path);
  if (list === undefined) return [];
  if (list.length === 0) r.issue(path, "must hold at least one backend");
  const out: BackendConfig[] = [];
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const backend = readBackend(r, item, [...path, i]);
    if (backend === undefined) return;
    const key = formatHostPort(backend.address, backend.port);
    const first = seen.get(key);
    if (first !== undefined) r.issue([...path, i], `${key} is already backend [${first}]`);
    seen.set(key, i);
    out.push(backend);
  });
  return out;
}

/** `uri`, `path`, `client_ip` or `header:<name>`. */
function readHashKey(r: ConfReader, value: unknown, path: ConfPath): HashKeyConfig | undefined {
  if (typeof value === "string") {
    if (value === "uri" || value === "path" || value === "client_ip") return { kind: value };
    if (value.startsWith("header:")) {
      const name = value.slice(7).trim();
      if (isValidHeaderName(name)) return { kind: "header", name };
    }
  }
  r.issue(path, `must be uri, path, client_ip or header:<name>, got ${describeValue(value)}`);
  return undefined;
}

/** `tls: true` or `{ sni, verify, ca }`. */
function readUpstreamTls(r: ConfReader, value: unknown, path: ConfPath, files: FilePaths): UpstreamTlsConfig | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const tls: UpstreamTlsConfig = { sni: undefined, verify: true, ca: undefined };
  if (value === true) return tls;
  const map = r.mapping(value, path, TLS_KEYS);
  if (map === undefined) return undefined;
  if (map.sni !== undefined) {
    const sni = r.string(map.sni, [...path, "sni"]);
    if (sni !== undefined && !isValidHost(sni)) r.issue([...path, "sni"], `must be a host name, got ${JSON.stringify(sni)}`);
    else tls.sni = sni;
  }
  if (map.verify !== undefined) tls.verify = r.boolean(map.verify, [...path, "verify"]) ?? true;
  if (map.ca !== undefined) tls.ca = files.readable(r, map.ca, [...path, "ca"]);
  return tls;
}

/** `host_header: keep | upstream | <value>`. */
function readHostHeader(r: ConfReader, value: unknown, path: ConfPath): HostHeaderConfig {
  if (value === undefined || value === "keep") return "keep";
  if (value === "upstream") return "upstream";
  if (typeof value === "string" && value.length > 0 && isValidHeaderValue(value)) return { value };
  r.issue(path, `must be keep, upstream or a host name, got ${describeValue(value)}`);
  return "keep";
}

function readUpstream(r: ConfReader, name: string, value: unknown, path: ConfPath, files: FilePaths): UpstreamConfig | undefined {
  const map = r.mapping(value, path, UPSTREAM_KEYS);
  if (map === undefined) return undefined;
  const backends = readBackends(r, map.backends, [...path, "backends"]);
  const algorithm = map.algorithm === undefined ? "round_robin" : (r.oneOf(map.algorithm, [...path, "algorithm"], ALGORITHMS) ?? "round_robin");
  let hashKey: HashKeyConfig | undefined;
  if (map.hash_key !== undefined) {
    if (!HASHED.has(algorithm)) r.issue([...path, "hash_key"], `only for algorithm ketama or fnv (this group uses ${algorithm})`);
    hashKey = readHashKey(r, map.hash_key, [...path, "hash_key"]);
  } else if (HASHED.has(algorithm)) {
    hashKey = { kind: "uri" };
  }
  return {
    name,
    backends,
    algorithm,
    hashKey,
    healthCheck: readHealthCheck(r, map.health_check, [...path, "health_check"]),
    passiveHealth: readPassiveHealth(r, map.passive_health, [...path, "passive_health"]),
    tls: readUpstreamTls(r, map.tls, [...path, "tls"], files),
    hostHeader: readHostHeader(r, map.host_header, [...path, "host_header"]),
    timeouts: readTimeouts(r, map.timeouts, [...path, "timeouts"]),
  };
}

/** `upstreams:` a mapping of group names to groups (at least one). */
export function readUpstreams(r: ConfReader, value: unknown, path: ConfPath, files: FilePaths): UpstreamConfig[] {
  if (value === undefined) {
    r.issue(path, `required: named groups, e.g. { app: { backends: ["127.0.0.1:3000"] } }`);
    return [];
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    r.issue(path, `must be a mapping of group names to groups, got ${describeValue(value)}`);
    return [];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) r.issue(path, "must hold at least one group");
  const out: UpstreamConfig[] = [];
  for (const [name, group] of entries) {
    if (!NAME.test(name)) {
      r.issue([...path, name], "group names are 1-64 letters, digits, '_' or '-'");
      continue;
    }
    const upstream = readUpstream(r, name, group, [...path, name], files);
    if (upstream !== undefined) out.push(upstream);
  }
  return out;
}
