import { type ConfIssue, ServerConfError } from "@zp/runtime";
import type { ProxyConfig } from "./proxy-config.js";
import { FilePaths } from "./file-paths.js";
import type { ProxySectionOptions } from "./validate-proxy-section.js";
import { validateProxySection } from "./validate-proxy-section.js";

/**
 * A {@link ProxyConfig} from a `proxy:` section given as a plain object (the same keys as
 * in a file). Throws a `ServerConfError` (`ZP_CONF_INVALID`) listing every problem, with
 * paths under `proxy`.
 *
 * @example
 * ```ts
 * const config = buildProxyConfig({
 *   listeners: [{ address: "127.0.0.1", port: 8080 }],
 *   upstreams: { app: { backends: ["127.0.0.1:3000", "127.0.0.1:3001"] } },
 * });
 * ```
 */
export function buildProxyConfig(section: unknown, options: ProxySectionOptions = {}): ProxyConfig {
  const issues: ConfIssue[] = [];
  const files = new FilePaths(options.baseDir ?? process.cwd(), options.checkFiles ?? true);
  const config = validateProxySection(section, { path: ["proxy"], issue: (at, message) => issues.push({ path: ["proxy", ...(typeof at === "string" ? [at] : at)], message }) }, files);
  if (issues.length > 0) throw new ServerConfError("ZP_CONF_INVALID", issues);
  return config;
}
