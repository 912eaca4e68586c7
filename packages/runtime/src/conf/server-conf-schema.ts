import {
  type Check,
  boolean,
  exactly,
  ipv4Address,
  ipv6Address,
  listOf,
  nonEmptyString,
  nonNegativeInteger,
  optional,
  positiveInteger,
} from "./conf-checks.js";
import type { ServerConf } from "./server-conf.js";

/** How each key of {@link ServerConf} is checked. */
export const SERVER_CONF_SCHEMA: { readonly [K in keyof ServerConf]: Check<ServerConf[K]> } = {
  version: exactly(1, "1 (the only configuration version)"),
  threads: positiveInteger,
  pid_file: nonEmptyString,
  upgrade_sock: nonEmptyString,
  user: optional(nonEmptyString),
  group: optional(nonEmptyString),
  daemon: boolean,
  error_log: optional(nonEmptyString),
  grace_period_seconds: nonNegativeInteger,
  graceful_shutdown_timeout_seconds: nonNegativeInteger,
  listener_tasks_per_fd: positiveInteger,
  work_stealing: boolean,
  ca_file: optional(nonEmptyString),
  client_bind_to_ipv4: listOf(ipv4Address, "IPv4 addresses"),
  client_bind_to_ipv6: listOf(ipv6Address, "IPv6 addresses"),
  upstream_keepalive_pool_size: nonNegativeInteger,
  upstream_connect_offload_threadpools: optional(positiveInteger),
  upstream_connect_offload_thread_per_pool: optional(positiveInteger),
  upstream_debug_ssl_keylog: boolean,
  max_retries: nonNegativeInteger,
};

/** The keys a server configuration may have (besides declared extension sections). */
export const SERVER_CONF_KEYS: readonly (keyof ServerConf)[] = Object.keys(SERVER_CONF_SCHEMA) as (keyof ServerConf)[];
