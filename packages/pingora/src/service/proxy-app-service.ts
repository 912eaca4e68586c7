import { Connector } from "@zp/http-client";
import type { HttpServerOptions } from "@zp/http-server";
import { type AccessLog, HttpProxyService, ProxyMetrics } from "@zp/proxy";
import type { ListenerSpec, Service, ServiceContext, StopOptions } from "@zp/runtime";
import type { TlsServerContext } from "@zp/tls";
import type { ProxyConfig } from "../config/proxy-config.js";
import { ConfiguredProxy } from "../proxy/configured-proxy.js";
import { AdminEndpoint } from "./admin-endpoint.js";
import { listenerTls } from "./listener-tls.js";
import { openAccessLog } from "./open-access-log.js";

/** Options of a {@link ProxyAppService}. */
export interface ProxyAppServiceOptions {
  /** Name in logs (default `zp proxy`). */
  name?: string;
  /** Limits and timeouts of the downstream HTTP server. */
  server?: HttpServerOptions;
  /**
   * On a graceful stop, how long connections accepted just before the listeners closed may
   * take to send their first request before idle connections are closed (default 250 ms,
   * within the grace period). Without it a client that has connected but not yet written
   * gets its connection closed instead of an answer.
   */
  settleMs?: number;
}

/** What a started service holds. */
interface Running {
  readonly proxy: ConfiguredProxy;
  readonly metrics: ProxyMetrics;
  readonly accessLog: AccessLog | undefined;
  readonly connector: Connector;
  readonly tls: (TlsServerContext | undefined)[];
  readonly listeners: HttpProxyService<unknown>[];
  readonly admin: AdminEndpoint | undefined;
  readonly settling: AbortController;
  stopped: Promise<void> | undefined;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function settle(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/**
 * A configured proxy as one `@zp/runtime` service: it declares the configuration's
 * listeners (and the admin listener last), and in every process that serves builds the
 * {@link ConfiguredProxy}, starts its health checks, serves each listener with a
 * `@zp/proxy` `HttpProxyService` (TLS per listener, one shared upstream pool) and the admin
 * endpoint. A graceful stop drains the listeners, then stops the health checks and flushes
 * the access log.
 */
export class ProxyAppService implements Service {
  readonly name: string;
  readonly listeners: readonly ListenerSpec[];
  /** The configuration served. */
  readonly config: ProxyConfig;
  private readonly options: ProxyAppServiceOptions;
  private running: Running | undefined = undefined;

  constructor(config: ProxyConfig, options: ProxyAppServiceOptions = {}) {
    this.config = config;
    this.options = options;
    this.name = options.name ?? "zp proxy";
    const specs: ListenerSpec[] = config.listeners.map((l) => ({ address: l.address, port: l.port }));
    if (config.admin !== undefined) specs.push({ address: config.admin.address, port: config.admin.port });
    this.listeners = specs;
  }

  /** The proxy (once started in this process). */
  get proxy(): ConfiguredProxy | undefined {
    return this.running?.proxy;
  }

  /** The metrics (once started in this process). */
  get metrics(): ProxyMetrics | undefined {
    return this.running?.metrics;
  }

  async start(ctx: ServiceContext): Promise<void> {
    const config = this.config;
    const log = ctx.log;
    const metrics = new ProxyMetrics();
    const accessLog = openAccessLog(config.accessLog, (err) => log.warn("access log", err));
    const proxy = new ConfiguredProxy(config, { metrics, ...(accessLog === undefined ? {} : { accessLog }), caFile: ctx.conf.ca_file, notice: (m) => log.info(m) });
    const connector = new Connector({ pool: { maxIdle: ctx.conf.upstream_keepalive_pool_size }, timeouts: config.timeouts, unrefIdle: false });
    let tls: (TlsServerContext | undefined)[] = [];
    try {
      tls = await Promise.all(config.listeners.map((l) => listenerTls(l)));
      await proxy.start();
    } catch (err) {
      for (const t of tls) t?.close();
      await proxy.stop();
      connector.close();
      await accessLog?.close();
      throw err;
    }
    const services = config.listeners.map(
      (listener, i) =>
        new HttpProxyService(proxy, {
          name: `${this.name} ${listener.address}:${listener.port}`,
          listeners: [{ address: listener.address, port: listener.port }],
          connector,
          ...(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries }),
          ...(tls[i] === undefined ? {} : { tls: tls[i] }),
          ...(this.options.server === undefined ? {} : { server: this.options.server }),
        }),
    );
    for (const [i, service] of services.entries()) {
      service.start({ ...ctx, listeners: [ctx.listeners[i]!], addresses: [ctx.addresses[i]!] });
    }
    let admin: AdminEndpoint | undefined;
    if (config.admin !== undefined) {
      admin = new AdminEndpoint(metrics);
      admin.attach(ctx.listeners[config.listeners.length]!);
    }
    this.running = { proxy, metrics, accessLog, connector, tls, listeners: services as HttpProxyService<unknown>[], admin, settling: new AbortController(), stopped: undefined };
  }

  stop(options: StopOptions): Promise<void> {
    const r = this.running;
    if (r === undefined) return Promise.resolve();
    let drained: Promise<void>;
    if (options.graceful) {
      const wait = Math.min(this.options.settleMs ?? 250, Math.max(0, options.deadline - Date.now()));
      drained = settle(wait, r.settling.signal).then(() => this.drain(r, options));
    } else {
      r.settling.abort();
      drained = this.drain(r, options);
    }
    r.stopped ??= drained.then(async () => {
      await r.proxy.stop();
      r.connector.close();
      for (const t of r.tls) t?.close();
      await r.accessLog?.close();
    });
    return r.stopped;
  }

  /** Stops the listeners' HTTP servers and the admin endpoint (a second, fast call cuts a graceful one short). */
  private async drain(r: Running, options: StopOptions): Promise<void> {
    const draining: Promise<void>[] = r.listeners.map((s) => s.stop(options));
    if (r.admin !== undefined) draining.push(r.admin.close(options));
    await Promise.all(draining);
  }
}
