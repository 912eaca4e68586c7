import { Counter, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { type AdminServer, ModuleError, ProxyMetrics, startAdminServer } from "../../src/modules/index.js";

/** Parses the Prometheus text format into `name{labels}` -> value (labels sorted by name). */
function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`bad exposition line: ${line}`);
    const labels = [...(match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, k, v]) => `${k}="${v}"`)
      .sort()
      .join(",");
    const value = match[3] === "+Inf" ? Number.POSITIVE_INFINITY : Number(match[3]);
    out.set(labels === "" ? match[1]! : `${match[1]}{${labels}}`, value);
  }
  return out;
}

async function scrape(url: string): Promise<{ status: number; type: string | null; series: Map<string, number>; text: string }> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), series: parseExposition(text), text };
}

describe("ProxyMetrics", () => {
  let admin: AdminServer | undefined;
  afterEach(async () => {
    await admin?.close();
    admin = undefined;
  });

  it("serves what was observed over HTTP in the text format", async () => {
    const metrics = new ProxyMetrics();
    metrics.observe({ method: "GET", status: 200, upstream: "api", durationMs: 3, connectMs: 0.8, reused: false });
    metrics.observe({ method: "GET", status: 204, upstream: "api", durationMs: 40, reused: true });
    metrics.observe({ method: "POST", status: 502, upstream: "api", durationMs: 1500, connectMs: 30, reused: false, errorCode: "ZP_CONNECT_REFUSED" });
    metrics.observe({ method: "GET", status: 429, durationMs: 0.2 });
    metrics.observe({ method: "GET", status: 200, upstream: "static", durationMs: 7, reused: true });
    metrics.observe({ method: "GET", status: 0, upstream: "static", durationMs: 12000, reused: true, errorCode: "ZP_READ_TIMEOUT" });
    metrics.inFlight.inc();
    metrics.inFlight.inc();
    metrics.inFlight.dec();

    admin = await startAdminServer({ host: "127.0.0.1", port: 0 }, metrics);
    const { status, type, series } = await scrape(admin.url);
    expect(status).toBe(200);
    expect(type).toBe(metrics.registry.contentType);
    expect(type).toBe("text/plain; version=0.0.4; charset=utf-8");

    const expected: Record<string, number> = {
      'zp_requests_total{method="GET",status="2xx",upstream="api"}': 2,
      'zp_requests_total{method="POST",status="5xx",upstream="api"}': 1,
      'zp_requests_total{method="GET",status="4xx",upstream=""}': 1,
      'zp_requests_total{method="GET",status="2xx",upstream="static"}': 1,
      'zp_requests_total{method="GET",status="0",upstream="static"}': 1,
      // request duration for "api": 3 ms, 40 ms, 1.5 s
      'zp_request_duration_seconds_bucket{le="0.0025",upstream="api"}': 0,
      'zp_request_duration_seconds_bucket{le="0.005",upstream="api"}': 1,
      'zp_request_duration_seconds_bucket{le="0.05",upstream="api"}': 2,
      'zp_request_duration_seconds_bucket{le="1",upstream="api"}': 2,
      'zp_request_duration_seconds_bucket{le="2.5",upstream="api"}': 3,
      'zp_request_duration_seconds_bucket{le="+Inf",upstream="api"}': 3,
      'zp_request_duration_seconds_count{upstream="api"}': 3,
      'zp_request_duration_seconds_bucket{le="10",upstream="static"}': 1,
      'zp_request_duration_seconds_bucket{le="+Inf",upstream="static"}': 2,
      'zp_upstream_connect_seconds_bucket{le="0.001",upstream="api"}': 1,
      'zp_upstream_connect_seconds_bucket{le="0.025",upstream="api"}': 1,
      'zp_upstream_connect_seconds_bucket{le="0.05",upstream="api"}': 2,
      'zp_upstream_connect_seconds_count{upstream="api"}': 2,
      'zp_upstream_connections_total{reused="true"}': 3,
      'zp_upstream_connections_total{reused="false"}': 2,
      zp_upstream_pool_reuse_ratio: 0.6,
      'zp_errors_total{type="ZP_CONNECT_REFUSED"}': 1,
      'zp_errors_total{type="ZP_READ_TIMEOUT"}': 1,
      zp_in_flight_requests: 1,
    };
    for (const [name, value] of Object.entries(expected)) expect(series.get(name), name).toBe(value);
    expect(series.get('zp_request_duration_seconds_sum{upstream="api"}')).toBeCloseTo(1.543, 9);
    expect(series.get('zp_upstream_connect_seconds_sum{upstream="api"}')).toBeCloseTo(0.0308, 9);
    // Connect time is only recorded for new connections: "static" never connected.
    expect(series.has('zp_upstream_connect_seconds_count{upstream="static"}')).toBe(false);
    expect(series.has('zp_upstream_connect_seconds_count{upstream=""}')).toBe(false);

    // Counters keep counting between scrapes.
    metrics.observe({ method: "GET", status: 200, upstream: "api", durationMs: 1, reused: true });
    const again = await scrape(admin.url);
    expect(again.series.get('zp_requests_total{method="GET",status="2xx",upstream="api"}')).toBe(3);
    expect(again.series.get('zp_request_duration_seconds_bucket{le="0.001",upstream="api"}')).toBe(1);
    expect(again.series.get("zp_upstream_pool_reuse_ratio")).toBeCloseTo(4 / 6, 12);
  });

  it("labels exact codes on request, folds unknown methods and caps label values", async () => {
    const metrics = new ProxyMetrics({ prefix: "edge_", statusLabel: "code", maxUpstreams: 2, maxErrorTypes: 1 });
    metrics.observe({ method: "PURGE", status: 404, upstream: "a", durationMs: 1 });
    metrics.observe({ method: "get", status: 503, upstream: "b", durationMs: 1, errorCode: "E1" });
    metrics.observe({ method: "GET", status: 1200, upstream: "c", durationMs: 1, errorCode: "E2" });
    metrics.observe({ method: "GET", status: 200, upstream: "d", durationMs: 1, errorCode: "E3" });
    metrics.observe({ method: "GET", status: 200, upstream: "a", durationMs: 1, errorCode: "E1" });
    const series = parseExposition(await metrics.metrics());
    expect(series.get('edge_requests_total{method="OTHER",status="404",upstream="a"}')).toBe(1);
    expect(series.get('edge_requests_total{method="OTHER",status="503",upstream="b"}')).toBe(1);
    expect(series.get('edge_requests_total{method="GET",status="0",upstream="_other"}')).toBe(1);
    expect(series.get('edge_requests_total{method="GET",status="200",upstream="_other"}')).toBe(1);
    expect(series.get('edge_requests_total{method="GET",status="200",upstream="a"}')).toBe(1);
    expect(series.get('edge_errors_total{type="E1"}')).toBe(2);
    expect(series.get('edge_errors_total{type="_other"}')).toBe(2);
    expect(series.get("edge_in_flight_requests")).toBe(0);
  });

  it("shares a registry with other metrics, adds Node's default metrics on request and refuses a second set", async () => {
    const registry = new Registry();
    const own = new Counter({ name: "app_widgets_total", help: "widgets", registers: [registry] });
    own.inc(5);
    const metrics = new ProxyMetrics({ registry, defaultMetrics: true });
    expect(metrics.registry).toBe(registry);
    const series = parseExposition(await registry.metrics());
    expect(series.get("app_widgets_total")).toBe(5);
    expect(series.has("zp_process_cpu_user_seconds_total")).toBe(true);
    expect(series.get("zp_in_flight_requests")).toBe(0);
    expect(() => new ProxyMetrics({ registry })).toThrow(/already been registered/);
  });

  it("counts and resets", async () => {
    const metrics = new ProxyMetrics();
    for (let i = 0; i < 1000; i++) metrics.observe({ method: "GET", status: 200, upstream: `u${i % 3}`, durationMs: i, reused: i % 2 === 0 });
    let series = parseExposition(await metrics.metrics());
    expect(series.get('zp_request_duration_seconds_count{upstream="u1"}')).toBe(333);
    expect(series.get("zp_upstream_pool_reuse_ratio")).toBe(0.5);
    metrics.reset();
    series = parseExposition(await metrics.metrics());
    expect(series.has('zp_request_duration_seconds_count{upstream="u1"}')).toBe(false);
    expect(series.get("zp_upstream_pool_reuse_ratio")).toBe(0);
  });

  it("refuses bad options", () => {
    for (const options of [{ buckets: [] }, { buckets: [1, 1] }, { connectBuckets: [0.1, Number.NaN] }, { prefix: "1x" }, { maxUpstreams: 0 }]) {
      expect(() => new ProxyMetrics(options), JSON.stringify(options)).toThrow(ModuleError);
    }
  });
});

describe("startAdminServer", () => {
  let admin: AdminServer | undefined;
  afterEach(async () => {
    await admin?.close();
    admin = undefined;
  });

  it("answers /health from the hook, 404 elsewhere and 405 for other methods", async () => {
    let healthy = true;
    admin = await startAdminServer({}, new ProxyMetrics(), {
      health: () => {
        if (healthy === undefined) throw new Error("broken");
        return healthy;
      },
    });
    expect(admin.address().address).toBe("127.0.0.1");
    expect(admin.address().port).toBeGreaterThan(0);

    let response = await fetch(`${admin.url}/health`);
    expect([response.status, await response.text(), response.headers.get("cache-control")]).toEqual([200, "ok\n", "no-store"]);
    healthy = false;
    response = await fetch(`${admin.url}/health?verbose=1`);
    expect([response.status, await response.text()]).toEqual([503, "unavailable\n"]);
    healthy = undefined as unknown as boolean;
    response = await fetch(`${admin.url}/health`);
    expect(response.status).toBe(503);
    await response.text();

    response = await fetch(`${admin.url}/`);
    expect(response.status).toBe(404);
    await response.text();
    response = await fetch(`${admin.url}/metrics/extra`);
    expect(response.status).toBe(404);
    await response.text();

    response = await fetch(`${admin.url}/metrics`, { method: "POST", body: "x" });
    expect([response.status, response.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    await response.text();

    response = await fetch(`${admin.url}/metrics`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("serves a bare prom-client registry too", async () => {
    const registry = new Registry();
    new Counter({ name: "only_total", help: "one", registers: [registry] }).inc();
    admin = await startAdminServer({ port: 0 }, registry);
    const { series } = await scrape(admin.url);
    expect(series.get("only_total")).toBe(1);
  });
});
