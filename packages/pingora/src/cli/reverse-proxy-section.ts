import { type ConfPath, ServerConfError, formatConfPath } from "@zp/runtime";
import { buildProxyConfig } from "../config/build-proxy-config.js";
import { parseHostPort } from "../config/host-port.js";
import { ALGORITHMS, type ProxyConfig } from "../config/proxy-config.js";
import { unknownMessage } from "../config/suggest.js";
import { PingoraError } from "../pingora-error.js";
import type { ReverseProxyCommand } from "./cli-command.js";

/** The upstream group `zp reverse-proxy` builds. */
export const REVERSE_PROXY_GROUP = "backends";

function usage(message: string): PingoraError {
  return new PingoraError("ZP_CLI_USAGE", message);
}

/** The command-line option a configuration path comes from. */
function flagFor(path: ConfPath): string {
  const text = formatConfPath(path);
  if (text.startsWith("proxy.listeners[0].tls.cert")) return "--tls-cert";
  if (text.startsWith("proxy.listeners[0].tls.key")) return "--tls-key";
  if (text.startsWith("proxy.listeners[0].tls")) return "--tls-cert/--tls-key";
  if (text.startsWith("proxy.listeners")) return "--from";
  if (text.startsWith(`proxy.upstreams.${REVERSE_PROXY_GROUP}.backends`)) return "--to";
  if (text.startsWith(`proxy.upstreams.${REVERSE_PROXY_GROUP}.health_check`)) return "--health-path";
  if (text.startsWith("proxy.admin")) return "--admin";
  if (text.startsWith("proxy.access_log")) return "--access-log";
  return text;
}

/** Splits `--to` values into backends, and whether they speak TLS (`https://`). */
function backends(to: readonly string[]): { list: string[]; tls: boolean } {
  let tls: boolean | undefined;
  const list = to.map((raw) => {
    const m = /^(https?):\/\/([^/]+)\/?$/i.exec(raw);
    const secure = m !== null && m[1]!.toLowerCase() === "https";
    const where = m === null ? raw : m[2]!.includes(":") || m[2]!.endsWith("]") ? m[2]! : `${m[2]}:${secure ? 443 : 80}`;
    if (tls !== undefined && tls !== secure) throw usage("--to backends must all be http or all be https");
    tls = secure;
    const parsed = parseHostPort(where, undefined, 1);
    if (typeof parsed === "string") throw usage(`--to ${parsed}`);
    return where;
  });
  return { list, tls: tls === true };
}

/**
 * The {@link ProxyConfig} of `zp reverse-proxy`: one listener (HTTPS with a certificate),
 * one group over the `--to` backends with active health checks (TCP, or HTTP with
 * `--health-path`), passive health and retries. Throws a `ZP_CLI_USAGE` error naming the
 * option at fault.
 */
export function reverseProxyConfig(command: ReverseProxyCommand): ProxyConfig {
  if (!(ALGORITHMS as readonly string[]).includes(command.lb)) {
    throw usage(unknownMessage(`--lb must be one of ${ALGORITHMS.join(", ")}, got "${command.lb}"`, command.lb, ALGORITHMS));
  }
  const { list, tls } = backends(command.to);
  const healthCheck =
    command.healthPath === undefined
      ? { type: "tcp", interval_ms: 2000, timeout_ms: 1000, unhealthy_threshold: 2 }
      : { type: "http", path: command.healthPath, interval_ms: 2000, timeout_ms: 1000, unhealthy_threshold: 2 };
  const section = {
    listeners: [
      {
        address: command.from.host,
        port: command.from.port,
        ...(command.tlsCert === undefined ? {} : { tls: { cert: command.tlsCert, key: command.tlsKey } }),
      },
    ],
    upstreams: {
      [REVERSE_PROXY_GROUP]: {
        backends: list,
        algorithm: command.lb,
        health_check: healthCheck,
        passive_health: { failure_threshold: 3, ejection_ms: 5000 },
        ...(tls ? { tls: true, host_header: "upstream" } : {}),
      },
    },
    max_retries: command.retries,
    access_log: command.accessLog,
    ...(command.admin === undefined ? {} : { admin: { address: command.admin.host, port: command.admin.port } }),
  };
  try {
    return buildProxyConfig(section);
  } catch (err) {
    if (!(err instanceof ServerConfError)) throw err;
    throw usage(err.issues.map((i) => `${flagFor(i.path)}: ${i.message}`).join("\n"));
  }
}
