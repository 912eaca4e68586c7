import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { type CellsSeries, CellsHistogram, HistogramCells, checkBuckets } from "./histogram-cells.js";
import { ModuleError, ModuleErrorType, requireInteger } from "./module-error.js";

/**
 * What the logging phase knows about one finished request: a plain object, the same one
 * can feed the {@link AccessLog} (its fields are a subset of {@link AccessLogRecord}).
 */
export interface MetricsRecord {
  /** Request method. Methods outside the standard nine are counted as `OTHER`. */
  method: string;
  /** Status sent downstream; 0 (or anything outside 100..999) when no response was sent. */
  status: number;
  /** Name of the upstream peer that served it; absent when the proxy answered itself. */
  upstream?: string | undefined;
  /** Whole request time in milliseconds. */
  durationMs: number;
  /** Time to connect to the upstream in milliseconds, when a new connection was made (negative: ignored). */
  connectMs?: number | undefined;
  /** Whether the upstream connection came from the pool (absent when no upstream was used). */
  reused?: boolean | undefined;
  /** Stable code of the error that ended the request (a `ZpError` code), if any. */
  errorCode?: string | undefined;
}

/** How the `status` label is written. */
export type StatusLabel = "class" | "code";

/** Options of {@link ProxyMetrics}. */
export interface ProxyMetricsOptions {
  /** Registry to register in (default: a new one, see {@link ProxyMetrics.registry}). */
  registry?: Registry;
  /** Prefix of every metric name (default `zp_`). */
  prefix?: string;
  /** Bucket bounds of `request_duration_seconds` in seconds. */
  buckets?: readonly number[];
  /** Bucket bounds of `upstream_connect_seconds` in seconds. */
  connectBuckets?: readonly number[];
  /**
   * `"class"` (default): `status="2xx"`, at most six values; `"code"`: the exact code
   * (`"404"`), more detail and more series.
   */
  statusLabel?: StatusLabel;
  /** Distinct `upstream` label values kept (default 256); later ones are counted as `_other`. */
  maxUpstreams?: number;
  /** Distinct `type` values of `errors_total` kept (default 64); later ones are counted as `_other`. */
  maxErrorTypes?: number;
  /** Also collect Node's default process metrics (CPU, memory, event loop lag, GC) with the same prefix. Default false. */
  defaultMetrics?: boolean;
}

/** Default bounds of `request_duration_seconds`: 1 ms to 10 s. */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Default bounds of `upstream_connect_seconds`: 0.5 ms to 1 s. */
export const DEFAULT_CONNECT_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
]);

/** Label of values past a cardinality cap. */
export const OVERFLOW_LABEL = "_other";

const METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", "OTHER"] as const;
const STATUS_CLASSES = ["0", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "7xx", "8xx", "9xx"] as const;
/** Request counts are keyed `method * STATUS_SLOTS + status` in one Map per upstream. */
const STATUS_SLOTS = 1000;

function methodIndex(method: string): number {
  switch (method) {
    case "GET":
      return 0;
    case "POST":
      return 1;
    case "HEAD":
      return 2;
    case "PUT":
      return 3;
    case "DELETE":
      return 4;
    case "PATCH":
      return 5;
    case "OPTIONS":
      return 6;
    case "CONNECT":
      return 7;
    case "TRACE":
      return 8;
    default:
      return 9;
  }
}

/** The numbers kept for one `upstream` label value. */
class UpstreamSeries {
  /** Requests per (method, status) key. */
  readonly requests = new Map<number, number>();
  readonly duration: CellsSeries;
  readonly connect: CellsSeries;

  constructor(
    readonly label: string,
    durationBounds: Float64Array,
    connectBounds: Float64Array,
  ) {
    const labels = Object.freeze({ upstream: label });
    this.duration = { labels, cells: new HistogramCells(durationBounds) };
    this.connect = { labels, cells: new HistogramCells(connectBounds) };
  }
}

/** Requests in progress: `inc()` when one starts, `dec()` when it ends. */
export class InFlightCounter {
  /** Requests in progress now. */
  value = 0;

  /** One more request in progress. */
  inc(): void {
    this.value++;
  }

  /** One request fewer in progress (never below 0). */
  dec(): void {
    if (this.value > 0) this.value--;
  }
}

/**
 * The proxy's Prometheus metrics, fed by one {@link ProxyMetrics.observe} call per request
 * from the logging phase. Series (with the default `zp_` prefix):
 *
 * | metric | type | labels |
 * |---|---|---|
 * | `zp_requests_total` | counter | `method`, `status`, `upstream` |
 * | `zp_request_duration_seconds` | histogram | `upstream` |
 * | `zp_upstream_connect_seconds` | histogram | `upstream` |
 * | `zp_upstream_connections_total` | counter | `reused` (`"true"`/`"false"`) |
 * | `zp_upstream_pool_reuse_ratio` | gauge | (reused / all upstream connections since start) |
 * | `zp_errors_total` | counter | `type` (the error code) |
 * | `zp_in_flight_requests` | gauge | |
 *
 * Observations are counted in plain numbers and typed arrays kept per label combination
 * (a Map lookup per upstream, a Map update and two histogram scans per call, no
 * allocation once the combination was seen), and handed to prom-client only when the
 * registry is scraped, through the metrics' `collect` hooks. prom-client's own per-call
 * path (hashing the label values on every `inc`/`observe`) costs several times more.
 *
 * @example
 * ```ts
 * const metrics = new ProxyMetrics();
 * metrics.inFlight.inc();
 * // ... logging phase:
 * metrics.inFlight.dec();
 * metrics.observe({ method: "GET", status: 200, upstream: "api", durationMs: 12.5, reused: true });
 * const admin = await startAdminServer({ port: 9091 }, metrics);
 * ```
 */
export class ProxyMetrics {
  /** The registry the metrics are registered in. */
  readonly registry: Registry;
  /** Requests in progress (`zp_in_flight_requests`). */
  readonly inFlight = new InFlightCounter();
  private readonly statusByCode: boolean;
  private readonly maxUpstreams: number;
  private readonly maxErrorTypes: number;
  private readonly durationBounds: Float64Array;
  private readonly connectBounds: Float64Array;
  private readonly upstreams = new Map<string, UpstreamSeries>();
  private readonly errors = new Map<string, number>();
  private lastUpstream: string | undefined = undefined;
  private lastSeries: UpstreamSeries | undefined = undefined;
  private connectionsReused = 0;
  private connectionsNew = 0;

  /** Throws an `InvalidOption` {@link ModuleError} for bad buckets or caps, and prom-client's error for a name already registered. */
  constructor(options: ProxyMetricsOptions = {}) {
    const registry = options.registry ?? new Registry();
    const prefix = options.prefix ?? "zp_";
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$|^$/.test(prefix)) {
      throw new ModuleError(ModuleErrorType.InvalidOption, `prefix must be a metric name prefix, got ${JSON.stringify(prefix)}`);
    }
    const statusLabel = options.statusLabel ?? "class";
    if (statusLabel !== "class" && statusLabel !== "code") {
      throw new ModuleError(ModuleErrorType.InvalidOption, `statusLabel must be "class" or "code", got ${String(statusLabel)}`);
    }
    this.registry = registry;
    this.statusByCode = statusLabel === "code";
    this.maxUpstreams = requireInteger("maxUpstreams", options.maxUpstreams ?? 256, 1, 1 << 20);
    this.maxErrorTypes = requireInteger("maxErrorTypes", options.maxErrorTypes ?? 64, 1, 1 << 20);
    this.durationBounds = checkBuckets("buckets", options.buckets ?? DEFAULT_DURATION_BUCKETS);
    this.connectBounds = checkBuckets("connectBuckets", options.connectBuckets ?? DEFAULT_CONNECT_BUCKETS);

    const self = this;
    const registers = [registry];
    new Counter({
      name: `${prefix}requests_total`,
      help: "Requests answered, by method, status and upstream.",
      labelNames: ["method", "status", "upstream"],
      registers,
      collect() {
        self.publishRequests(this);
      },
    });
    new CellsHistogram(
      `${prefix}request_duration_seconds`,
      "Time from the request's arrival to the end of its response, in seconds.",
      ["upstream"],
      this.durationBounds,
      registry,
      () => this.durationSeries(),
    );
    new CellsHistogram(
      `${prefix}upstream_connect_seconds`,
      "Time to open a new upstream connection (TCP and TLS), in seconds.",
      ["upstream"],
      this.connectBounds,
      registry,
      () => this.connectSeries(),
    );
    new Counter({
      name: `${prefix}upstream_connections_total`,
      help: "Upstream connections used for requests, by whether the pool reused them.",
      labelNames: ["reused"],
      registers,
      collect() {
        this.reset();
        this.inc({ reused: "true" }, self.connectionsReused);
        this.inc({ reused: "false" }, self.connectionsNew);
      },
    });
    new Gauge({
      name: `${prefix}upstream_pool_reuse_ratio`,
      help: "Share of upstream connections reused from the pool since start (0 to 1).",
      registers,
      collect() {
        const total = self.connectionsReused + self.connectionsNew;
        this.set(total === 0 ? 0 : self.connectionsReused / total);
      },
    });
    new Counter({
      name: `${prefix}errors_total`,
      help: "Requests that ended in an error, by error code.",
      labelNames: ["type"],
      registers,
      collect() {
        this.reset();
        for (const [type, count] of self.errors) this.inc({ type }, count);
      },
    });
    new Gauge({
      name: `${prefix}in_flight_requests`,
      help: "Requests in progress.",
      registers,
      collect() {
        this.set(self.inFlight.value);
      },
    });
    if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry, prefix });
  }

  /** Counts one finished request. Cheap enough to call for every request. */
  observe(record: MetricsRecord): void {
    const series = this.seriesFor(record.upstream ?? "");
    const status = record.status;
    const statusKey = status >= 100 && status <= 999 ? (this.statusByCode ? status : (status / 100) | 0) : 0;
    const key = methodIndex(record.method) * STATUS_SLOTS + statusKey;
    const requests = series.requests;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    series.duration.cells.observe(record.durationMs / 1000);
    const connectMs = record.connectMs;
    if (connectMs !== undefined && connectMs >= 0) series.connect.cells.observe(connectMs / 1000);
    const reused = record.reused;
    if (reused === true) this.connectionsReused++;
    else if (reused === false) this.connectionsNew++;
    const errorCode = record.errorCode;
    if (errorCode !== undefined) this.countError(errorCode);
  }

  /** The registry's text exposition (what `GET /metrics` serves). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** The `Content-Type` of {@link ProxyMetrics.metrics}' text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Forgets every count (in-flight requests excepted). */
  reset(): void {
    this.upstreams.clear();
    this.errors.clear();
    this.lastUpstream = undefined;
    this.lastSeries = undefined;
    this.connectionsReused = 0;
    this.connectionsNew = 0;
  }

  private seriesFor(upstream: string): UpstreamSeries {
    if (upstream === this.lastUpstream) return this.lastSeries!;
    let series = this.upstreams.get(upstream);
    if (series === undefined) {
      const label = this.upstreams.size < this.maxUpstreams ? upstream : OVERFLOW_LABEL;
      series = this.upstreams.get(label);
      if (series === undefined) {
        series = new UpstreamSeries(label, this.durationBounds, this.connectBounds);
        this.upstreams.set(label, series);
      }
    }
    this.lastUpstream = upstream;
    this.lastSeries = series;
    return series;
  }

  private countError(code: string): void {
    const errors = this.errors;
    const count = errors.get(code);
    if (count !== undefined) errors.set(code, count + 1);
    else if (errors.size < this.maxErrorTypes) errors.set(code, 1);
    else errors.set(OVERFLOW_LABEL, (errors.get(OVERFLOW_LABEL) ?? 0) + 1);
  }

  private publishRequests(counter: Counter<string>): void {
    counter.reset();
    const byCode = this.statusByCode;
    for (const series of this.upstreams.values()) {
      for (const [key, count] of series.requests) {
        const statusKey = key % STATUS_SLOTS;
        const status = byCode ? String(statusKey) : STATUS_CLASSES[statusKey]!;
        counter.inc({ method: METHODS[(key - statusKey) / STATUS_SLOTS]!, status, upstream: series.label }, count);
      }
    }
  }

  private *durationSeries(): Iterable<CellsSeries> {
    for (const series of this.upstreams.values()) yield series.duration;
  }

  private *connectSeries(): Iterable<CellsSeries> {
    for (const series of this.upstreams.values()) yield series.connect;
  }
}
