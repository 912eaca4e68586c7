import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProxyConfig } from "../config/build-proxy-config.js";
import type { HostPort } from "../config/host-port.js";
import type { ProxyConfig } from "../config/proxy-config.js";
import { ProxyApp, type ProxyEndpoints } from "../service/proxy-app.js";
import { type DemoUpstream, startDemoUpstreams } from "./demo-upstreams.js";

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Where the proxy listens (default `0.0.0.0:8080`). */
  listen?: HostPort;
  /** Where the admin listener binds (default `127.0.0.1:9091`); `false`: none. */
  admin?: HostPort | false;
  /** Exit the process when the demo stops (default false; `zp --demo` sets it). */
  exitProcess?: boolean;
}

/** A running demo. */
export interface Demo {
  /** The proxy. */
  readonly app: ProxyApp;
  /** The three upstreams behind it. */
  readonly upstreams: readonly DemoUpstream[];
  /** Where the proxy and its admin listener are. */
  readonly endpoints: ProxyEndpoints;
  /** The configuration the proxy runs. */
  readonly config: ProxyConfig;
  /** Settles when the proxy has stopped (by `stop()` or a signal). */
  readonly finished: Promise<void>;
  /** Stops the proxy gracefully, then the upstreams. */
  stop(): Promise<void>;
}

/** The demo's `proxy:` section, as it would be written in a file. */
export function demoSection(upstreams: readonly DemoUpstream[], listen: HostPort, admin: HostPort | false): Record<string, unknown> {
  return {
    listeners: [{ address: listen.host, port: listen.port }],
    upstreams: {
      demo: {
        backends: upstreams.map((u) => u.endpoint),
        algorithm: "round_robin",
        health_check: { type: "http", path: "/health", interval_ms: 1000, timeout_ms: 500, unhealthy_threshold: 2 },
        passive_health: { failure_threshold: 3, ejection_ms: 5000 },
      },
    },
    routes: [
      {
        upstream: "demo",
        response_headers: { set: { "X-Proxy": "zp" } },
        compression: { enabled: true, min_size: 256 },
      },
    ],
    timeouts: { connect: "1s", read: "10s" },
    max_retries: 2,
    ...(admin === false ? {} : { admin: { address: admin.host, port: admin.port } }),
  };
}

/**
 * Starts three demo upstreams on 127.0.0.1 (ephemeral ports; each answers with its name and
 * the path, `/health`, and a compressible `/json`) and a proxy in front of them: round
 * robin, active HTTP health checks, passive health, retries, compression, and metrics on
 * the admin listener.
 *
 * @example
 * ```ts
 * const demo = await startDemo({ listen: { host: "127.0.0.1", port: 0 }, admin: { host: "127.0.0.1", port: 0 } });
 * console.log(await (await fetch(`${demo.endpoints.listeners[0]}/hello`)).text()); // demo-1: GET /hello
 * await demo.stop();
 * ```
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const listen = options.listen ?? { host: "0.0.0.0", port: 8080 };
  const admin = options.admin ?? { host: "127.0.0.1", port: 9091 };
  const upstreams = await startDemoUpstreams(3);
  const closeUpstreams = (): Promise<void> => Promise.all(upstreams.map((u) => u.close())).then(() => {});
  try {
    const config = buildProxyConfig(demoSection(upstreams, listen, admin));
    const app = new ProxyApp(config, {
      name: "zp demo",
      conf: { pid_file: join(tmpdir(), "zp-demo.pid"), grace_period_seconds: 10, graceful_shutdown_timeout_seconds: 2 },
      exitProcess: options.exitProcess ?? false,
    });
    const finished = app.run().finally(closeUpstreams);
    const endpoints = await app.ready;
    return {
      app,
      upstreams,
      endpoints,
      config,
      finished,
      stop: async () => {
        await app.shutdown("graceful");
        await finished;
      },
    };
  } catch (err) {
    await closeUpstreams();
    throw err;
  }
}
