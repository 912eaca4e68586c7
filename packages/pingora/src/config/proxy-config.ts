/**
 * The validated `proxy:` section of a configuration file: plain data, paths resolved, every
 * default filled. {@link validateProxySection} makes it from the parsed YAML; the demo and
 * `zp reverse-proxy` build one directly.
 */
export interface ProxyConfig {
  /** Where clients connect (at least one). */
  listeners: ListenerConfig[];
  /** Named groups of backends, in file order. */
  upstreams: UpstreamConfig[];
  /** Routes, tried in order; the first that matches a request takes it. */
  routes: RouteConfig[];
  /** Default upstream time limits (an upstream's own `timeouts` win). */
  timeouts: TimeoutsConfig;
  /** Retries after a failed attempt; undefined: the server's `max_retries`. */
  maxRetries: number | undefined;
  /** The admin listener (`/metrics`, `/health`), if any. */
  admin: AdminConfig | undefined;
  /** Where the access log goes. */
  accessLog: AccessLogConfig;
}

/** A listening address, optionally with TLS. */
export interface ListenerConfig {
  /** IP address (or host name) to bind. */
  address: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Terminate TLS with this certificate (PEM files, absolute paths). */
  tls: { cert: string; key: string } | undefined;
}

/** Load-balancing algorithms a group may use. */
export type AlgorithmName = "round_robin" | "weighted_round_robin" | "least_conn" | "random" | "p2c" | "ketama" | "fnv";

/** Every {@link AlgorithmName}. */
export const ALGORITHMS: readonly AlgorithmName[] = Object.freeze(["round_robin", "weighted_round_robin", "least_conn", "random", "p2c", "ketama", "fnv"]);

/** What `ketama` and `fnv` hash to pick a backend. */
export type HashKeyConfig = { kind: "uri" } | { kind: "path" } | { kind: "client_ip" } | { kind: "header"; name: string };

/** One backend of a group. */
export interface BackendConfig {
  /** IP address or host name. */
  address: string;
  /** TCP port. */
  port: number;
  /** Relative weight 1..65535. */
  weight: number;
}

/** An active health check. */
export interface HealthCheckConfig {
  /** `tcp`: a connection opens; `http`: a GET answers an expected status. */
  type: "tcp" | "http";
  /** Path of the HTTP check. */
  path: string;
  /** `Host` of the HTTP check (default: the backend's address). */
  host: string | undefined;
  /** Statuses that mean healthy (HTTP check). */
  expectedStatus: number[];
  /** Pause between rounds, ms. */
  intervalMs: number;
  /** Time allowed for one check, ms. */
  timeoutMs: number;
  /** Consecutive successes that make a backend healthy again. */
  healthyThreshold: number;
  /** Consecutive failures that make a backend unhealthy. */
  unhealthyThreshold: number;
}

/** Passive health: failures reported by the proxy eject a backend for a while. */
export interface PassiveHealthConfig {
  /** Consecutive failures that eject a backend. */
  failureThreshold: number;
  /** First ejection in ms; doubles with each ejection in a row. */
  ejectionMs: number;
  /** Longest ejection in ms. */
  maxEjectionMs: number;
}

/** TLS towards the backends of a group. */
export interface UpstreamTlsConfig {
  /** Server name sent and verified (default: the backend's address; none for IP literals). */
  sni: string | undefined;
  /** Verify the certificate chain and name (default true). */
  verify: boolean;
  /** Trusted CA file (absolute path; default: the server's `ca_file`, else the system store). */
  ca: string | undefined;
}

/** Upstream time limits in ms; unset ones take the next default. */
export interface TimeoutsConfig {
  connectMs?: number;
  readMs?: number;
  writeMs?: number;
  idleMs?: number;
  totalMs?: number;
}

/** `Host` sent upstream: the client's, the backend's, or a fixed value. */
export type HostHeaderConfig = "keep" | "upstream" | { value: string };

/** A named group of backends and how to balance and check them. */
export interface UpstreamConfig {
  /** The group's name (routes refer to it). */
  name: string;
  backends: BackendConfig[];
  algorithm: AlgorithmName;
  /** For `ketama` and `fnv` only. */
  hashKey: HashKeyConfig | undefined;
  healthCheck: HealthCheckConfig | undefined;
  /** `false`: off. */
  passiveHealth: PassiveHealthConfig | false;
  tls: UpstreamTlsConfig | undefined;
  hostHeader: HostHeaderConfig;
  timeouts: TimeoutsConfig;
}

/** Header fields to set, add and remove. */
export interface HeaderEditsConfig {
  /** Removed first (names). */
  remove: string[];
  /** Then set, replacing any value. */
  set: [name: string, value: string][];
  /** Then appended. */
  add: [name: string, value: string][];
}

/** What a rate limit counts requests against. */
export type RateLimitKeyConfig = { kind: "client_ip" } | { kind: "header"; name: string };

/** A per-route request rate limit. */
export interface RateLimitConfig {
  requestsPerSecond: number;
  /** Largest burst (default: one second's worth). */
  burst: number | undefined;
  key: RateLimitKeyConfig;
}

/** Response compression of a route. */
export interface CompressionConfig {
  enabled: boolean;
  /** Smallest `Content-Length` compressed. */
  minSize: number;
  /** Compressible media types (default: the usual text types). */
  types: string[] | undefined;
}

/** A route: which requests go to which group, and what happens on the way. */
export interface RouteConfig {
  /** Hosts matched: exact names or `*.suffix` (empty: any host). */
  hosts: string[];
  /** Path prefix matched at a segment boundary (undefined: any path). */
  pathPrefix: string | undefined;
  /** The upstream group's name. */
  upstream: string;
  /** Remove `pathPrefix` from the path sent upstream. */
  stripPrefix: boolean;
  requestHeaders: HeaderEditsConfig;
  responseHeaders: HeaderEditsConfig;
  rateLimit: RateLimitConfig | undefined;
  compression: CompressionConfig | undefined;
}

/** The admin listener. */
export interface AdminConfig {
  address: string;
  port: number;
}

/** Where access log lines go. */
export type AccessLogConfig = { kind: "off" } | { kind: "stdout" } | { kind: "file"; path: string };

/** Header edits that change nothing. */
export function noHeaderEdits(): HeaderEditsConfig {
  return { remove: [], set: [], add: [] };
}
