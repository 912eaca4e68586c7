import { isValidHeaderName, isValidHeaderValue } from "@zp/http";
import type { ConfPath } from "@zp/runtime";
import { describeValue } from "@zp/runtime";
import type { ConfReader } from "./conf-reader.js";
import { type HeaderEditsConfig, noHeaderEdits } from "./proxy-config.js";

const KEYS = ["set", "add", "remove"] as const;

/** Hop-by-hop and framing fields the proxy owns; editing them would break the exchange. */
const PROTECTED = new Set(["connection", "content-length", "transfer-encoding", "keep-alive", "upgrade", "te", "trailer", "proxy-connection"]);

function headerName(r: ConfReader, name: string, path: ConfPath): boolean {
  if (!isValidHeaderName(name)) {
    r.issue(path, `${JSON.stringify(name)} is not a valid header name`);
    return false;
  }
  if (PROTECTED.has(name.toLowerCase())) {
    r.issue(path, `${name} is managed by the proxy and cannot be edited`);
    return false;
  }
  return true;
}

function headerValue(r: ConfReader, value: unknown, path: ConfPath): string | undefined {
  const text = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
  if (typeof text !== "string" || !isValidHeaderValue(text)) {
    r.issue(path, `must be a header value (text without control characters), got ${describeValue(value)}`);
    return undefined;
  }
  return text;
}

function pairs(r: ConfReader, value: unknown, path: ConfPath, allowLists: boolean): [string, string][] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "object" || Array.isArray(value)) {
    r.issue(path, `must be a mapping of header names to values, got ${describeValue(value)}`);
    return [];
  }
  const out: [string, string][] = [];
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!headerName(r, name, [...path, name])) continue;
    const values = allowLists && Array.isArray(raw) ? raw : [raw];
    values.forEach((v, i) => {
      const text = headerValue(r, v, Array.isArray(raw) ? [...path, name, i] : [...path, name]);
      if (text !== undefined) out.push([name, text]);
    });
  }
  return out;
}

/** `{ set: { name: value }, add: { name: value | [values] }, remove: [names] }`. */
export function readHeaderEdits(r: ConfReader, value: unknown, path: ConfPath): HeaderEditsConfig {
  const edits = noHeaderEdits();
  if (value === undefined || value === null) return edits;
  const map = r.mapping(value, path, KEYS);
  if (map === undefined) return edits;
  edits.set = pairs(r, map.set, [...path, "set"], false);
  edits.add = pairs(r, map.add, [...path, "add"], true);
  if (map.remove !== undefined && map.remove !== null) {
    const names = typeof map.remove === "string" ? [map.remove] : r.list(map.remove, [...path, "remove"]);
    names?.forEach((name, i) => {
      const at = typeof map.remove === "string" ? [...path, "remove"] : [...path, "remove", i];
      if (typeof name !== "string") r.issue(at, `must be a header name, got ${describeValue(name)}`);
      else if (headerName(r, name, at)) edits.remove.push(name);
    });
  }
  return edits;
}
