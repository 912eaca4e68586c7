/**
 * The server configuration, with Pingora's keys and meanings. Every key has a default, so an
 * empty file is a valid configuration. Keys the runtime does not act on are still validated
 * and kept, so that higher-level packages (connectors, the proxy) can read them.
 */
export interface ServerConf {
  /** Configuration format version; `1` is the only one. Default `1`. */
  version: number;
  /** Worker processes sharing the listeners; `1` serves in the process itself. Default `1`. */
  threads: number;
  /** Where the pid of the process to signal is written. Default `/tmp/zingora.pid`. */
  pid_file: string;
  /** Accepted for compatibility; this runtime hands listeners over IPC and does not use it. */
  upgrade_sock: string;
  /** User to switch to after the listeners are bound (needs root). Default none. */
  user: string | null;
  /** Group to switch to after the listeners are bound (needs root). Default none. */
  group: string | null;
  /** Detach from the terminal and run in the background. Default `false`. */
  daemon: boolean;
  /** File that errors and lifecycle notices are appended to; stderr when unset. */
  error_log: string | null;
  /** Seconds in-flight work may take after a graceful shutdown starts. Default `300`. */
  grace_period_seconds: number;
  /** Seconds services get to force-close after the grace period before the process exits. Default `5`. */
  graceful_shutdown_timeout_seconds: number;
  /** Accepted for compatibility; each process runs one accept loop per listener. Default `1`. */
  listener_tasks_per_fd: number;
  /** Accepted for compatibility; Node has one event loop per process. Default `true`. */
  work_stealing: boolean;
  /** CA file for upstream TLS verification; the system store when unset. */
  ca_file: string | null;
  /** IPv4 source addresses upstream connections may bind to. Default `[]`. */
  client_bind_to_ipv4: string[];
  /** IPv6 source addresses upstream connections may bind to. Default `[]`. */
  client_bind_to_ipv6: string[];
  /** Idle upstream connections kept per process. Default `128`. */
  upstream_keepalive_pool_size: number;
  /** Dedicated pools for connection establishment (read by connectors). Default none. */
  upstream_connect_offload_threadpools: number | null;
  /** Threads per connection-establishment pool (read by connectors). Default none. */
  upstream_connect_offload_thread_per_pool: number | null;
  /** Write upstream TLS keys to the file named by `SSLKEYLOGFILE`. Default `false`. */
  upstream_debug_ssl_keylog: boolean;
  /** Upper bound on retries of a retryable upstream error. Default `16`. */
  max_retries: number;
}

/** The configuration an empty file yields. */
export const DEFAULT_SERVER_CONF: Readonly<ServerConf> = Object.freeze({
  version: 1,
  threads: 1,
  pid_file: "/tmp/zingora.pid",
  upgrade_sock: "/tmp/zingora_upgrade.sock",
  user: null,
  group: null,
  daemon: false,
  error_log: null,
  grace_period_seconds: 300,
  graceful_shutdown_timeout_seconds: 5,
  listener_tasks_per_fd: 1,
  work_stealing: true,
  ca_file: null,
  client_bind_to_ipv4: [],
  client_bind_to_ipv6: [],
  upstream_keepalive_pool_size: 128,
  upstream_connect_offload_threadpools: null,
  upstream_connect_offload_thread_per_pool: null,
  upstream_debug_ssl_keylog: false,
  max_retries: 16,
});

/** A fresh, mutable copy of the defaults. */
export function defaultServerConf(): ServerConf {
  return { ...DEFAULT_SERVER_CONF, client_bind_to_ipv4: [], client_bind_to_ipv6: [] };
}
