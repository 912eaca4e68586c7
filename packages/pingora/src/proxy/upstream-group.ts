import { readFileSync } from "node:fs";
import { Backend, type CheckTlsOptions, type HealthCheck, HttpHealthCheck, LoadBalancer, TcpHealthCheck } from "@zp/lb";
import { type HttpPeerOptions, LoadBalancedProxy, type Session } from "@zp/proxy";
import type { HashKeyConfig, HealthCheckConfig, TimeoutsConfig, UpstreamConfig } from "../config/proxy-config.js";
import { pathOf } from "./request-target.js";

/** What a group needs besides its own configuration. */
export interface UpstreamGroupOptions {
  /** The section's default timeouts (the group's own win). */
  timeouts?: TimeoutsConfig;
  /** The server's `ca_file`, the default CA of TLS upstreams. */
  caFile?: string | null;
  /** Told when a backend becomes healthy or unhealthy. */
  onHealthChange?: (message: string) => void;
}

type TlsSettings = { peer: HttpPeerOptions; check: CheckTlsOptions | undefined };

function tlsSettings(config: UpstreamConfig, caFile: string | null | undefined): TlsSettings {
  const tls = config.tls;
  if (tls === undefined) return { peer: { tls: false }, check: undefined };
  const caPath = tls.ca ?? caFile ?? undefined;
  const ca = caPath === undefined ? undefined : readFileSync(caPath);
  const common = {
    ...(tls.sni === undefined ? {} : { sni: tls.sni }),
    ...(ca === undefined ? {} : { ca }),
    verifyCert: tls.verify,
    verifyHostname: tls.verify,
  };
  return { peer: { tls: true, alpn: ["http/1.1"], ...common }, check: common };
}

function healthCheck(config: HealthCheckConfig, tls: CheckTlsOptions | undefined): HealthCheck {
  const common = {
    timeoutMs: config.timeoutMs,
    consecutiveSuccess: config.healthyThreshold,
    consecutiveFailure: config.unhealthyThreshold,
    ...(tls === undefined ? {} : { tls }),
  };
  if (config.type === "tcp") return new TcpHealthCheck(common);
  return new HttpHealthCheck({
    ...common,
    path: config.path,
    expectedStatus: config.expectedStatus,
    ...(config.host === undefined ? {} : { host: config.host }),
  });
}

function selectionKey(hashKey: HashKeyConfig | undefined): ((session: Session) => string | undefined) | undefined {
  if (hashKey === undefined) return undefined;
  switch (hashKey.kind) {
    case "uri":
      return (s) => s.uri;
    case "path":
      return (s) => pathOf(s.uri);
    case "client_ip":
      return (s) => s.clientAddress ?? "";
    case "header": {
      const name = hashKey.name;
      return (s) => s.getHeader(name) ?? s.clientAddress ?? "";
    }
  }
}

/**
 * One upstream group: a `@zp/lb` {@link LoadBalancer} over its backends (algorithm, active
 * and passive health) and a `@zp/proxy` {@link LoadBalancedProxy} that picks the peer for
 * each attempt, reports passive health, counts in-flight requests and retries elsewhere.
 */
export class UpstreamGroup {
  /** The group's name. */
  readonly name: string;
  /** Its load balancer. */
  readonly lb: LoadBalancer;
  /** The phases the configured proxy delegates to for this group. */
  readonly proxy: LoadBalancedProxy;
  private readonly checked: boolean;

  constructor(config: UpstreamConfig, options: UpstreamGroupOptions = {}) {
    this.name = config.name;
    const tls = tlsSettings(config, options.caFile);
    const notify = options.onHealthChange;
    const check = config.healthCheck;
    this.checked = check !== undefined;
    const backends = config.backends.map((b) => new Backend({ address: b.address, port: b.port, weight: b.weight }));
    const passive = config.passiveHealth;
    this.lb = LoadBalancer.fromBackends(backends, {
      selection: config.algorithm,
      passive: passive === false ? false : { failureThreshold: passive.failureThreshold, baseEjectionMs: passive.ejectionMs, maxEjectionMs: passive.maxEjectionMs },
      ...(check === undefined ? {} : { healthCheck: healthCheck(check, tls.check), healthCheckIntervalMs: check.intervalMs }),
      ...(notify === undefined
        ? {}
        : { onHealthChange: (b, healthy, reason) => notify(`upstream ${config.name}: ${b.endpoint} is now ${healthy ? "healthy" : "unhealthy"} (${reason})`) }),
    });
    const timeouts = { ...options.timeouts, ...config.timeouts };
    const key = selectionKey(config.hashKey);
    this.proxy = new LoadBalancedProxy({
      loadBalancer: this.lb,
      peer: { ...tls.peer, group: config.name, ...(Object.keys(timeouts).length === 0 ? {} : { timeouts }) },
      host: config.hostHeader,
      ...(key === undefined ? {} : { selectionKey: key }),
    });
  }

  /** Starts the active health checks (resolves after the first round). */
  async start(): Promise<void> {
    if (this.checked) await this.lb.start();
  }

  /** Stops the health checks. */
  stop(): Promise<void> {
    return this.lb.stop();
  }
}
