import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import type { ConfPath } from "@zp/runtime";
import type { ConfReader } from "./conf-reader.js";
import type { FilePaths } from "./file-paths.js";
import { formatHostPort, isValidHost, parseHostPort } from "./host-port.js";
import type { AdminConfig, ListenerConfig } from "./proxy-config.js";

const LISTENER_KEYS = ["address", "port", "tls"] as const;
const TLS_KEYS = ["cert", "key"] as const;
const ADMIN_KEYS = ["address", "port"] as const;

/** Checks that a certificate and key load and belong together. */
function checkKeyPair(r: ConfReader, cert: string, key: string, path: ConfPath): void {
  try {
    createSecureContext({ cert: readFileSync(cert), key: readFileSync(key) });
  } catch (err) {
    r.issue(path, `certificate and key cannot be used together: ${(err as Error).message}`);
  }
}

/** `{ address, port }` or `"address:port"`. */
function readAddress(r: ConfReader, value: unknown, path: ConfPath, defaultAddress: string): { address: string; port: number } | undefined {
  if (typeof value === "string" || typeof value === "number") {
    const parsed = parseHostPort(String(value), defaultAddress, 0);
    if (typeof parsed === "string") {
      r.issue(path, parsed);
      return undefined;
    }
    return { address: parsed.host, port: parsed.port };
  }
  const map = r.mapping(value, path, ADMIN_KEYS);
  if (map === undefined) return undefined;
  return readAddressFields(r, map, path, defaultAddress);
}

function readAddressFields(r: ConfReader, map: Record<string, unknown>, path: ConfPath, defaultAddress: string): { address: string; port: number } | undefined {
  let address: string | undefined = defaultAddress;
  if (map.address !== undefined) {
    address = r.string(map.address, [...path, "address"]);
    if (address !== undefined && !isValidHost(address)) {
      r.issue([...path, "address"], `must be an IP address or a host name, got ${JSON.stringify(address)}`);
      address = undefined;
    }
  }
  if (map.port === undefined) {
    r.issue([...path, "port"], "required");
    return undefined;
  }
  const port = r.integer(map.port, [...path, "port"], 0, 65535);
  return address === undefined || port === undefined ? undefined : { address, port };
}

/** One listener: `"address:port"` or `{ address, port, tls: { cert, key } }`. */
function readListener(r: ConfReader, value: unknown, path: ConfPath, files: FilePaths): ListenerConfig | undefined {
  if (typeof value === "string" || typeof value === "number") {
    const where = readAddress(r, value, path, "0.0.0.0");
    return where === undefined ? undefined : { ...where, tls: undefined };
  }
  const map = r.mapping(value, path, LISTENER_KEYS);
  if (map === undefined) return undefined;
  const where = readAddressFields(r, map, path, "0.0.0.0");
  let tls: ListenerConfig["tls"];
  if (map.tls !== undefined) {
    const tlsPath = [...path, "tls"];
    const t = r.mapping(map.tls, tlsPath, TLS_KEYS);
    if (t !== undefined) {
      if (t.cert === undefined) r.issue([...tlsPath, "cert"], "required");
      if (t.key === undefined) r.issue([...tlsPath, "key"], "required");
      const cert = t.cert === undefined ? undefined : files.readable(r, t.cert, [...tlsPath, "cert"]);
      const key = t.key === undefined ? undefined : files.readable(r, t.key, [...tlsPath, "key"]);
      if (cert !== undefined && key !== undefined) {
        checkKeyPair(r, cert, key, tlsPath);
        tls = { cert, key };
      }
    }
  }
  return where === undefined ? undefined : { ...where, tls };
}

/** `listeners:` a non-empty list, no address twice. */
export function readListeners(r: ConfReader, value: unknown, path: ConfPath, files: FilePaths): ListenerConfig[] {
  if (value === undefined) {
    r.issue(path, "required: at least one listener, e.g. [{ address: 0.0.0.0, port: 8080 }]");
    return [];
  }
  const list = r.list(value, path);
  if (list === undefined) return [];
  if (list.length === 0) r.issue(path, "must hold at least one listener");
  const out: ListenerConfig[] = [];
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const listener = readListener(r, item, [...path, i], files);
    if (listener === undefined) return;
    const key = formatHostPort(listener.address, listener.port);
    const first = seen.get(key);
    if (first !== undefined && listener.port !== 0) r.issue([...path, i], `${key} is already listener [${first}]`);
    seen.set(key, i);
    out.push(listener);
  });
  return out;
}

/** `admin:` `{ address, port }` or `"address:port"` (address defaults to 127.0.0.1). */
export function readAdmin(r: ConfReader, value: unknown, path: ConfPath): AdminConfig | undefined {
  if (value === undefined || value === null) return undefined;
  return readAddress(r, value, path, "127.0.0.1");
}
