import { collectInto } from "./conf-checks.js";
import type { ConfExtensionContext, ConfExtensions, ExtensionValues, LoadedServerConf, ServerConfOptions } from "./conf-extension.js";
import { type ConfPath, describeValue } from "./conf-path.js";
import { didYouMean } from "./did-you-mean.js";
import { defaultServerConf } from "./server-conf.js";
import { type ConfIssue, ServerConfError } from "./server-conf-error.js";
import { SERVER_CONF_KEYS, SERVER_CONF_SCHEMA } from "./server-conf-schema.js";

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a configuration given as a plain object (what a YAML document parses to), fills
 * the defaults and runs the extension validators. Throws a {@link ServerConfError} with code
 * `ZP_CONF_INVALID` listing every issue: wrong types, out-of-range values and unknown keys
 * (with a suggestion when one is close).
 */
export function validateServerConf<E extends ConfExtensions = Record<never, never>>(
  input: unknown,
  options: ServerConfOptions<E> = {},
): LoadedServerConf<E> {
  const extensions: ConfExtensions = options.extensions ?? {};
  for (const key of Object.keys(extensions)) {
    if ((SERVER_CONF_KEYS as readonly string[]).includes(key)) throw new TypeError(`extension section "${key}" clashes with a server configuration key`);
  }
  const issues: ConfIssue[] = [];
  const report = collectInto(issues);
  const root = input ?? {};
  if (!isMapping(root)) {
    report([], `must be a mapping of keys, got ${describeValue(root)}`);
    throw new ServerConfError("ZP_CONF_INVALID", issues, options.source);
  }

  const conf = defaultServerConf() as unknown as Record<string, unknown>;
  const allowed = [...SERVER_CONF_KEYS, ...Object.keys(extensions)];
  for (const [key, value] of Object.entries(root)) {
    const check = (SERVER_CONF_SCHEMA as Record<string, (v: unknown, p: ConfPath, r: typeof report) => unknown>)[key];
    if (check !== undefined) {
      const checked = check(value, [key], report);
      if (checked !== undefined) conf[key] = checked;
    } else if (!Object.hasOwn(extensions, key)) {
      const suggestion = didYouMean(key, allowed);
      report([key], suggestion === undefined ? "unknown key" : `unknown key, did you mean "${suggestion}"?`);
    }
  }

  const values: Record<string, unknown> = {};
  for (const [key, validate] of Object.entries(extensions)) {
    const ctx: ConfExtensionContext = {
      path: [key],
      issue: (at, message) => report([key, ...(typeof at === "string" ? [at] : at)], message),
    };
    try {
      values[key] = validate(root[key], ctx);
    } catch (err) {
      if (err instanceof ServerConfError) for (const i of err.issues) report([key, ...i.path], i.message);
      else report([key], err instanceof Error ? err.message : String(err));
    }
  }

  if (issues.length > 0) throw new ServerConfError("ZP_CONF_INVALID", issues, options.source);
  conf.extensions = values as ExtensionValues<E>;
  return conf as unknown as LoadedServerConf<E>;
}
