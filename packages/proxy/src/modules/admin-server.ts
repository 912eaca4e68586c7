import type { AddressInfo } from "node:net";
import { HttpServer, type HttpRequest, type HttpResponse } from "@zp/http-server";
import type { Registry } from "prom-client";
import type { ProxyMetrics } from "./metrics.js";

/** Where the admin listener binds. */
export interface AdminListen {
  /** Interface address (default `127.0.0.1`: metrics are not for the public). */
  host?: string;
  /** Port (default 0: any free port, see {@link AdminServer.address}). */
  port?: number;
}

/** Hooks of the admin listener. */
export interface AdminHooks {
  /** Whether the proxy is healthy: `GET /health` answers 200 when true, 503 when false or when it throws. Default: always healthy. */
  health?: () => boolean;
}

/** A running admin listener. */
export interface AdminServer {
  /** The bound address (the port chosen when 0 was asked). */
  address(): AddressInfo;
  /** `http://host:port`, for tests and logs. */
  readonly url: string;
  /** Stops listening and closes its connections gracefully. */
  close(): Promise<void>;
}

const TEXT = "text/plain; charset=utf-8";
const NO_STORE = "no-store";
const ALLOW = "GET, HEAD";

/**
 * Starts the admin HTTP listener on `@zp/http-server`:
 *
 * - `GET /metrics`: the registry's text exposition, with the registry's `Content-Type`
 *   (`text/plain; version=0.0.4; charset=utf-8`, or OpenMetrics for such a registry);
 * - `GET /health`: `200 ok` or `503 unavailable` from `hooks.health`;
 * - other paths: 404; other methods on these paths: 405 with `Allow: GET, HEAD`.
 *
 * Query strings are ignored; `HEAD` works like `GET` without the body. Responses are
 * `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * const admin = await startAdminServer({ host: "127.0.0.1", port: 9091 }, metrics, { health: () => !draining });
 * // curl http://127.0.0.1:9091/metrics
 * await admin.close();
 * ```
 */
export async function startAdminServer(
  listen: AdminListen,
  metrics: ProxyMetrics | Registry,
  hooks: AdminHooks = {},
): Promise<AdminServer> {
  const registry = "registry" in metrics ? metrics.registry : metrics;
  const health = hooks.health;
  const server = new HttpServer({ headerTimeout: 10_000, keepAliveTimeout: 30_000, maxBodySize: 64 * 1024 }, (req, res) =>
    handle(req, res, registry, health),
  );
  const host = listen.host ?? "127.0.0.1";
  const bound = await server.listen(listen.port ?? 0, host);
  const urlHost = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    address: () => server.address() ?? bound,
    url: `http://${urlHost}:${bound.port}`,
    close: () => server.close(),
  };
}

function handle(req: HttpRequest, res: HttpResponse, registry: Registry, health: (() => boolean) | undefined): void | Promise<void> {
  const path = req.target.path;
  if (path !== "/metrics" && path !== "/health") {
    send(res, 404, "not found\n");
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { "Content-Type": TEXT, Allow: ALLOW, "Cache-Control": NO_STORE });
    res.end("method not allowed\n");
    return;
  }
  if (path === "/health") {
    const healthy = isHealthy(health);
    send(res, healthy ? 200 : 503, healthy ? "ok\n" : "unavailable\n");
    return;
  }
  return registry.metrics().then(
    (text) => {
      res.writeHead(200, { "Content-Type": registry.contentType, "Cache-Control": NO_STORE });
      res.end(text);
    },
    () => send(res, 500, "metrics collection failed\n"),
  );
}

function isHealthy(health: (() => boolean) | undefined): boolean {
  if (health === undefined) return true;
  try {
    return health() === true;
  } catch {
    return false;
  }
}

function send(res: HttpResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": TEXT, "Cache-Control": NO_STORE });
  res.end(body);
}
