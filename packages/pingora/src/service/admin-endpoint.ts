import type { Server as NetServer } from "node:net";
import { type HttpRequest, type HttpResponse, HttpServer } from "@zp/http-server";
import type { ProxyMetrics } from "@zp/proxy";
import type { StopOptions } from "@zp/runtime";

const TEXT = "text/plain; charset=utf-8";

/**
 * The admin listener of a configured proxy, on a socket the runtime owns (so it survives a
 * zero-downtime upgrade like the proxy's listeners): `GET /metrics` (Prometheus text),
 * `GET /health` (200 `ok` while serving, 503 `draining` once stopping), 404 elsewhere,
 * 405 for other methods.
 */
export class AdminEndpoint {
  /** The HTTP server answering admin requests. */
  readonly http: HttpServer;
  private draining = false;

  constructor(private readonly metrics: ProxyMetrics) {
    this.http = new HttpServer({ headerTimeout: 10_000, keepAliveTimeout: 30_000, maxBodySize: 64 * 1024 }, (req, res) => this.handle(req, res));
  }

  /** Serves the connections `listener` accepts. */
  attach(listener: NetServer): void {
    listener.on("connection", (socket) => this.http.handleConnection(socket));
  }

  /** Marks the proxy as draining and closes the admin connections (gracefully or now). */
  close({ graceful, deadline }: StopOptions): Promise<void> {
    this.draining = true;
    if (!graceful) this.http.destroyAll();
    return this.http.close(graceful ? Math.max(0, deadline - Date.now()) : 0);
  }

  private handle(req: HttpRequest, res: HttpResponse): void | Promise<void> {
    const path = req.target.path;
    if (path !== "/metrics" && path !== "/health") return send(res, 404, "not found\n");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { "Content-Type": TEXT, Allow: "GET, HEAD", "Cache-Control": "no-store" });
      res.end("method not allowed\n");
      return;
    }
    if (path === "/health") return this.draining ? send(res, 503, "draining\n") : send(res, 200, "ok\n");
    const metrics = this.metrics;
    return metrics.metrics().then(
      (text) => {
        res.writeHead(200, { "Content-Type": metrics.contentType, "Cache-Control": "no-store" });
        res.end(text);
      },
      () => send(res, 500, "metrics collection failed\n"),
    );
  }
}

function send(res: HttpResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": TEXT, "Cache-Control": "no-store" });
  res.end(body);
}
