import { parseServerConf } from "@zp/runtime";
import { parse as yamlParse } from "yaml";
import { compare } from "../lib/compare.js";

// Loading the server configuration happens once per process start, so this only checks that
// validation (types, ranges, unknown keys, defaults, line numbers on error) adds little to
// parsing the YAML. The baseline is plain `yaml.parse` from the same `yaml` package
// @zp/runtime depends on.

const small = `---
version: 1
threads: 2
pid_file: /run/pingora.pid
upgrade_sock: /tmp/pingora_upgrade.sock
user: nobody
group: webusers
`;

const full = `---
version: 1
threads: 4
pid_file: /run/zp.pid
upgrade_sock: /run/zp_upgrade.sock
user: nobody
group: webusers
daemon: false
error_log: /var/log/zp/error.log
grace_period_seconds: 30
graceful_shutdown_timeout_seconds: 3
listener_tasks_per_fd: 1
work_stealing: true
ca_file: /etc/ssl/ca.pem
client_bind_to_ipv4: [10.0.0.1, 10.0.0.2, 10.0.0.3]
client_bind_to_ipv6: ["2001:db8::1", "2001:db8::2"]
upstream_keepalive_pool_size: 256
upstream_connect_offload_threadpools: 2
upstream_connect_offload_thread_per_pool: 8
upstream_debug_ssl_keylog: false
max_retries: 8
proxy:
  listeners:
    - { address: 0.0.0.0, port: 8080 }
    - { address: "::", port: 8443, tls: true }
`;
const extensions = { proxy: (section: unknown) => section };

await compare("runtime", [
  {
    name: "load + validate (Pingora's example file)",
    ours: { name: "@zp/runtime parseServerConf", fn: () => parseServerConf(small) },
    theirs: [{ name: "yaml.parse (no validation)", fn: () => yamlParse(small) }],
  },
  {
    name: "load + validate (every key + a proxy section)",
    ours: { name: "@zp/runtime parseServerConf", fn: () => parseServerConf(full, { extensions }) },
    theirs: [{ name: "yaml.parse (no validation)", fn: () => yamlParse(full) }],
  },
]);
