import type { ConfPath } from "@zp/runtime";
import type { ConfReader } from "./conf-reader.js";
import type { TimeoutsConfig } from "./proxy-config.js";

const KEYS = ["connect", "read", "write", "idle", "total"] as const;
const FIELD: Record<(typeof KEYS)[number], keyof TimeoutsConfig> = {
  connect: "connectMs",
  read: "readMs",
  write: "writeMs",
  idle: "idleMs",
  total: "totalMs",
};

/** `timeouts: { connect, read, write, idle, total }`, each a duration (ms or `"5s"`). */
export function readTimeouts(r: ConfReader, value: unknown, path: ConfPath): TimeoutsConfig {
  const out: TimeoutsConfig = {};
  if (value === undefined || value === null) return out;
  const map = r.mapping(value, path, KEYS);
  if (map === undefined) return out;
  for (const key of KEYS) {
    if (map[key] === undefined) continue;
    const ms = r.duration(map[key], [...path, key]);
    if (ms !== undefined) out[FIELD[key]] = ms;
  }
  return out;
}
