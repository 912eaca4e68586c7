import { dirname, resolve } from "node:path";
import { type ConfExtension, type LoadedServerConf, type ServerConfOptions, loadServerConf, parseServerConf } from "@zp/runtime";
import type { ProxyConfig } from "./proxy-config.js";
import { type ProxySectionOptions, proxySectionValidator } from "./validate-proxy-section.js";

/** The configuration extensions of a `zp` file: the `proxy:` section. */
export type ZpExtensions = { proxy: ConfExtension<ProxyConfig> };

/** A loaded `zp` configuration: the runtime's server keys plus `extensions.proxy`. */
export type ZpConfig = LoadedServerConf<ZpExtensions>;

/**
 * Reads and validates a `zp` configuration file: the runtime's server keys at the top level
 * (validated by `@zp/runtime`) and the `proxy:` section. Relative file names in the section
 * are resolved against the file's directory. Throws a `ServerConfError` listing every
 * problem with its path and line.
 */
export function loadZpConfig(file: string, options: Omit<ProxySectionOptions, "baseDir"> = {}): ZpConfig {
  const baseDir = dirname(resolve(file));
  return loadServerConf(file, { extensions: { proxy: proxySectionValidator({ ...options, baseDir }) } });
}

/** The same as {@link loadZpConfig} from YAML text; relative names resolve against `baseDir` (default: the working directory). */
export function parseZpConfig(text: string, options: ProxySectionOptions & Pick<ServerConfOptions, "source"> = {}): ZpConfig {
  const { source, ...section } = options;
  return parseServerConf(text, { extensions: { proxy: proxySectionValidator(section) }, ...(source === undefined ? {} : { source }) });
}
