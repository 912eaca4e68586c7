import type { ProxyEndpoints } from "../service/proxy-app.js";

/**
 * Prints where the proxy listens, one parseable line each:
 * `zp: listening on http://127.0.0.1:8080` and `zp: admin on http://127.0.0.1:9091`.
 * Worker processes print nothing (their primary did).
 */
export function announce(endpoints: ProxyEndpoints, write: (line: string) => void): boolean {
  if (endpoints.info.role === "worker") return false;
  for (const url of endpoints.listeners) write(`zp: listening on ${url}`);
  if (endpoints.admin !== undefined) write(`zp: admin on ${endpoints.admin} (metrics at /metrics, health at /health)`);
  return true;
}

/** A URL a person can paste: `0.0.0.0` and `::` become `localhost`, the scheme goes for plain HTTP. */
export function curlable(url: string): string {
  return url.replace("://0.0.0.0:", "://localhost:").replace("://[::]:", "://localhost:").replace(/^http:\/\//, "");
}
