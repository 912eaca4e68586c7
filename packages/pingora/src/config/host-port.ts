import { isIP } from "node:net";

/** A host and a port. */
export interface HostPort {
  /** IP address or host name (IPv6 without brackets). */
  host: string;
  port: number;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Whether `host` is an IP literal (IPv6 without brackets) or a valid DNS name. */
export function isValidHost(host: string): boolean {
  return isIP(host) !== 0 || HOSTNAME.test(host);
}

function parsePort(text: string, minPort: number): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= minPort && port <= 65535 ? port : undefined;
}

/**
 * Parses `host:port`, `[v6]:port`, `:port` and a bare `port` (the last two take
 * `defaultHost`). Returns a message instead when it cannot. `minPort` is 0 for listeners
 * (any free port) and 1 for backends.
 */
export function parseHostPort(text: string, defaultHost: string | undefined, minPort: number): HostPort | string {
  const portRange = `${minPort}..65535`;
  const expected = defaultHost === undefined ? `"host:port"` : `"host:port", ":port" or a port`;
  let host: string;
  let portText: string;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0 || text[close + 1] !== ":") return `must be ${expected}, got ${JSON.stringify(text)}`;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (isIP(host) !== 6) return `must hold an IPv6 address in brackets, got ${JSON.stringify(text)}`;
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0) {
      if (defaultHost === undefined || !/^\d+$/.test(text)) return `must be ${expected}, got ${JSON.stringify(text)}`;
      host = defaultHost;
      portText = text;
    } else {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
      if (host.includes(":")) return `must write an IPv6 address in brackets ("[::1]:8080"), got ${JSON.stringify(text)}`;
      if (host === "") {
        if (defaultHost === undefined) return `must be ${expected}, got ${JSON.stringify(text)}`;
        host = defaultHost;
      } else if (!isValidHost(host)) {
        return `has an invalid host ${JSON.stringify(host)}`;
      }
    }
  }
  const port = parsePort(portText, minPort);
  if (port === undefined) return `must have a port in ${portRange}, got ${JSON.stringify(text)}`;
  return { host, port };
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
