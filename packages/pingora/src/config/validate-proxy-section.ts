import type { ConfExtension, ConfExtensionContext } from "@zp/runtime";
import { describeValue } from "@zp/runtime";
import { ConfReader } from "./conf-reader.js";
import { FilePaths } from "./file-paths.js";
import { formatHostPort } from "./host-port.js";
import type { AccessLogConfig, ProxyConfig } from "./proxy-config.js";
import { readAdmin, readListeners } from "./validate-listeners.js";
import { readRoutes } from "./validate-routes.js";
import { readTimeouts } from "./validate-timeouts.js";
import { readUpstreams } from "./validate-upstreams.js";

/** The keys of the `proxy:` section. */
export const PROXY_SECTION_KEYS = ["listeners", "upstreams", "routes", "timeouts", "max_retries", "admin", "access_log"] as const;

/** Options of {@link proxySectionValidator}. */
export interface ProxySectionOptions {
  /** Directory relative file names are resolved against (default: the working directory). */
  baseDir?: string;
  /** Check that certificate, key and CA files are readable now (default true). */
  checkFiles?: boolean;
}

/**
 * A `@zp/runtime` configuration extension for the `proxy:` section: pass it as
 * `loadServerConf(file, { extensions: { proxy: proxySectionValidator({ baseDir }) } })`.
 * Every problem is reported at its path (`proxy.upstreams.api.backends[1].weight: ...`),
 * unknown keys with a suggestion.
 */
export function proxySectionValidator(options: ProxySectionOptions = {}): ConfExtension<ProxyConfig> {
  const files = new FilePaths(options.baseDir ?? process.cwd(), options.checkFiles ?? true);
  return (value, ctx) => validateProxySection(value, ctx, files);
}

function readAccessLog(r: ConfReader, value: unknown, files: FilePaths): AccessLogConfig {
  if (value === undefined || value === null || value === false || value === "off") return { kind: "off" };
  if (value === "stdout") return { kind: "stdout" };
  if (typeof value !== "string" || value.length === 0) {
    r.issue(["access_log"], `must be stdout, off or a file path, got ${describeValue(value)}`);
    return { kind: "off" };
  }
  const path = files.writable(r, value, ["access_log"]);
  return path === undefined ? { kind: "off" } : { kind: "file", path };
}

/**
 * Validates a parsed `proxy:` section (see {@link proxySectionValidator}); problems go to
 * `ctx.issue`, and the value returned is only meaningful when there were none.
 */
export function validateProxySection(value: unknown, ctx: ConfExtensionContext, files: FilePaths = new FilePaths(process.cwd(), true)): ProxyConfig {
  const r = new ConfReader((path, message) => ctx.issue(path, message));
  const config: ProxyConfig = {
    listeners: [],
    upstreams: [],
    routes: [],
    timeouts: {},
    maxRetries: undefined,
    admin: undefined,
    accessLog: { kind: "off" },
  };
  if (value === undefined || value === null) {
    r.issue([], "required: the proxy section with listeners and upstreams");
    return config;
  }
  const map = r.mapping(value, [], PROXY_SECTION_KEYS);
  if (map === undefined) return config;
  config.listeners = readListeners(r, map.listeners, ["listeners"], files);
  config.upstreams = readUpstreams(r, map.upstreams, ["upstreams"], files);
  const groups = config.upstreams.map((u) => u.name);
  const known = map.upstreams !== null && typeof map.upstreams === "object" ? Object.keys(map.upstreams) : groups;
  config.routes = readRoutes(r, map.routes, ["routes"], known);
  config.timeouts = readTimeouts(r, map.timeouts, ["timeouts"]);
  if (map.max_retries !== undefined && map.max_retries !== null) config.maxRetries = r.integer(map.max_retries, ["max_retries"], 0, 100);
  config.admin = readAdmin(r, map.admin, ["admin"]);
  config.accessLog = readAccessLog(r, map.access_log, files);
  const admin = config.admin;
  if (admin !== undefined && admin.port !== 0) {
    const clash = config.listeners.findIndex((l) => l.port === admin.port && (l.address === admin.address || l.address === "0.0.0.0" || admin.address === "0.0.0.0"));
    if (clash >= 0) r.issue(["admin"], `${formatHostPort(admin.address, admin.port)} clashes with listener [${clash}]`);
  }
  return config;
}
