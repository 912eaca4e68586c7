import { readFileSync } from "node:fs";
import { LineCounter, type Document, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { ConfExtensions, LoadedServerConf, ServerConfOptions } from "./conf-extension.js";
import type { ConfPath } from "./conf-path.js";
import { type ConfIssue, ServerConfError } from "./server-conf-error.js";
import { validateServerConf } from "./validate-server-conf.js";

/** The 1-based line of the key (or list item) at `path`, if the document has it. */
function lineOf(doc: Document, path: ConfPath, lines: LineCounter): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (pair === undefined) return undefined;
      offset = (pair.key as { range?: [number] }).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      node = node.items[part];
      offset = (node as { range?: [number] } | undefined)?.range?.[0];
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

/**
 * Parses a YAML server configuration and validates it (see {@link validateServerConf}).
 * Issues carry the line they were found on. Throws a {@link ServerConfError}: `ZP_CONF_SYNTAX`
 * for malformed YAML (including duplicate keys), `ZP_CONF_INVALID` for bad keys or values.
 */
export function parseServerConf<E extends ConfExtensions = Record<never, never>>(
  text: string,
  options: ServerConfOptions<E> = {},
): LoadedServerConf<E> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({ path: [], message: e.message.split("\n")[0]!, line: lines.linePos(e.pos[0]).line }));
    throw new ServerConfError("ZP_CONF_SYNTAX", issues, options.source);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    throw new ServerConfError("ZP_CONF_SYNTAX", [{ path: [], message: (err as Error).message }], options.source, err);
  }
  try {
    return validateServerConf(value, options);
  } catch (err) {
    if (!(err instanceof ServerConfError)) throw err;
    const located: ConfIssue[] = err.issues.map((i) => {
      const line = lineOf(doc, i.path, lines);
      return line === undefined ? i : { ...i, line };
    });
    located.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new ServerConfError(err.code, located, options.source);
  }
}

/**
 * Reads, parses and validates a YAML server configuration file (Pingora's
 * `ServerConf::load_from_yaml`). Unknown top-level keys are rejected unless declared in
 * `options.extensions`, whose validators check their own section.
 *
 * @example
 * ```ts
 * const conf = loadServerConf("/etc/zingora/conf.yaml", {
 *   extensions: { proxy: (section) => parseProxySection(section) },
 * });
 * conf.threads; conf.extensions.proxy;
 * ```
 */
export function loadServerConf<E extends ConfExtensions = Record<never, never>>(
  file: string,
  options: Omit<ServerConfOptions<E>, "source"> = {},
): LoadedServerConf<E> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code ?? "error";
    throw new ServerConfError("ZP_CONF_READ", [{ path: [], message: `${code}: ${(err as Error).message}` }], file, err);
  }
  return parseServerConf(text, { ...options, source: file });
}
