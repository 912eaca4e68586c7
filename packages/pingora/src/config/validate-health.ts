import type { ConfPath } from "@zp/runtime";
import type { ConfReader } from "./conf-reader.js";
import { isValidHost } from "./host-port.js";
import type { HealthCheckConfig, PassiveHealthConfig } from "./proxy-config.js";

const CHECK_KEYS = ["type", "path", "host", "expected_status", "interval_ms", "timeout_ms", "healthy_threshold", "unhealthy_threshold"] as const;
const HTTP_ONLY = ["path", "host", "expected_status"] as const;
const PASSIVE_KEYS = ["enabled", "failure_threshold", "ejection_ms", "max_ejection_ms"] as const;

/** Health check defaults. */
export const HEALTH_DEFAULTS = Object.freeze({ intervalMs: 5000, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 1 });

/** Passive health defaults (those of `@zp/lb`). */
export const PASSIVE_DEFAULTS: Readonly<PassiveHealthConfig> = Object.freeze({ failureThreshold: 5, ejectionMs: 10_000, maxEjectionMs: 300_000 });

function statuses(r: ConfReader, value: unknown, path: ConfPath): number[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) {
    r.issue(path, "must name at least one status");
    return undefined;
  }
  const out: number[] = [];
  items.forEach((item, i) => {
    const status = r.integer(item, Array.isArray(value) ? [...path, i] : path, 100, 599);
    if (status !== undefined) out.push(status);
  });
  return out.length === items.length ? out : undefined;
}

/** `health_check: { type: tcp | http, path, host, expected_status, interval_ms, timeout_ms, healthy_threshold, unhealthy_threshold }`. */
export function readHealthCheck(r: ConfReader, value: unknown, path: ConfPath): HealthCheckConfig | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const map = r.mapping(value, path, CHECK_KEYS);
  if (map === undefined) return undefined;
  const type = map.type === undefined ? "http" : r.oneOf(map.type, [...path, "type"], ["tcp", "http"] as const);
  const check: HealthCheckConfig = {
    type: type ?? "http",
    path: "/",
    host: undefined,
    expectedStatus: [200],
    ...HEALTH_DEFAULTS,
  };
  if (type === "tcp") {
    for (const key of HTTP_ONLY) if (map[key] !== undefined) r.issue([...path, key], "only for type: http");
  }
  if (map.path !== undefined) {
    const p = r.string(map.path, [...path, "path"]);
    if (p !== undefined && !/^\/[\x21-\x7e]*$/.test(p)) r.issue([...path, "path"], `must start with "/" and hold no spaces, got ${JSON.stringify(p)}`);
    else if (p !== undefined) check.path = p;
  }
  if (map.host !== undefined) {
    const host = r.string(map.host, [...path, "host"]);
    if (host !== undefined && !isValidHost(host.replace(/:\d+$/, ""))) r.issue([...path, "host"], `must be a host name, got ${JSON.stringify(host)}`);
    else check.host = host;
  }
  if (map.expected_status !== undefined) check.expectedStatus = statuses(r, map.expected_status, [...path, "expected_status"]) ?? check.expectedStatus;
  if (map.interval_ms !== undefined) check.intervalMs = r.duration(map.interval_ms, [...path, "interval_ms"], 10) ?? check.intervalMs;
  if (map.timeout_ms !== undefined) check.timeoutMs = r.duration(map.timeout_ms, [...path, "timeout_ms"], 1) ?? check.timeoutMs;
  if (map.healthy_threshold !== undefined) check.healthyThreshold = r.integer(map.healthy_threshold, [...path, "healthy_threshold"], 1, 1000) ?? 1;
  if (map.unhealthy_threshold !== undefined) check.unhealthyThreshold = r.integer(map.unhealthy_threshold, [...path, "unhealthy_threshold"], 1, 1000) ?? 1;
  return check;
}

/** `passive_health: false | true | { enabled, failure_threshold, ejection_ms, max_ejection_ms }` (default on). */
export function readPassiveHealth(r: ConfReader, value: unknown, path: ConfPath): PassiveHealthConfig | false {
  if (value === undefined || value === null || value === true) return { ...PASSIVE_DEFAULTS };
  if (value === false) return false;
  const map = r.mapping(value, path, PASSIVE_KEYS);
  if (map === undefined) return { ...PASSIVE_DEFAULTS };
  if (map.enabled !== undefined && r.boolean(map.enabled, [...path, "enabled"]) === false) return false;
  const out = { ...PASSIVE_DEFAULTS };
  if (map.failure_threshold !== undefined) out.failureThreshold = r.integer(map.failure_threshold, [...path, "failure_threshold"], 1, 1000) ?? out.failureThreshold;
  if (map.ejection_ms !== undefined) out.ejectionMs = r.duration(map.ejection_ms, [...path, "ejection_ms"], 0) ?? out.ejectionMs;
  if (map.max_ejection_ms !== undefined) out.maxEjectionMs = r.duration(map.max_ejection_ms, [...path, "max_ejection_ms"], 0) ?? out.maxEjectionMs;
  if (out.maxEjectionMs < out.ejectionMs) r.issue([...path, "max_ejection_ms"], `must be at least ejection_ms (${out.ejectionMs})`);
  return out;
}
