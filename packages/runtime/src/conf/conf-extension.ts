import type { ConfPath } from "./conf-path.js";
import type { ServerConf } from "./server-conf.js";

/** What an extension validator gets besides its section's value. */
export interface ConfExtensionContext {
  /** The section's path in the document (its top-level key). */
  readonly path: ConfPath;
  /**
   * Reports a problem at `at` (a path relative to the section, or one key) without stopping
   * validation; every issue of every section is reported together.
   */
  issue(at: ConfPath | string, message: string): void;
}

/**
 * Validates one extra top-level section (e.g. the proxy's `proxy:` section) and returns its
 * typed value. It is called with `undefined` when the section is absent, so it can supply
 * defaults or report it as required. It may report issues through `ctx` or throw (a
 * {@link ServerConfError} thrown here has its issue paths placed under the section).
 */
export type ConfExtension<T = unknown> = (value: unknown, ctx: ConfExtensionContext) => T;

/** Extension validators by section key. */
export type ConfExtensions = Readonly<Record<string, ConfExtension>>;

/** The validated values of the declared extension sections. */
export type ExtensionValues<E extends ConfExtensions> = { -readonly [K in keyof E]: ReturnType<E[K]> };

/** Options of {@link validateServerConf}, {@link parseServerConf} and {@link loadServerConf}. */
export interface ServerConfOptions<E extends ConfExtensions = ConfExtensions> {
  /** Extra top-level sections allowed in the document, each with its validator. */
  extensions?: E;
  /** Name of the source for messages (the file path when loading a file). */
  source?: string;
}

/** A validated configuration with its defaults filled, plus the extension sections' values. */
export type LoadedServerConf<E extends ConfExtensions = ConfExtensions> = ServerConf & {
  /** The values returned by the extension validators, by section key. */
  readonly extensions: ExtensionValues<E>;
};
