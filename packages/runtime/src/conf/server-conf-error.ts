import { type ConfPath, formatConfPath } from "./conf-path.js";

/** One problem found in a configuration. */
export interface ConfIssue {
  /** Where: keys and list indexes from the root (empty for the document itself). */
  readonly path: ConfPath;
  /** What is wrong, e.g. `must be a positive integer, got "two"`. */
  readonly message: string;
  /** 1-based line in the source file, when known. */
  readonly line?: number;
}

/** Stable codes of {@link ServerConfError}. */
export type ServerConfErrorCode = "ZP_CONF_READ" | "ZP_CONF_SYNTAX" | "ZP_CONF_INVALID";

/**
 * A configuration that cannot be used: unreadable (`ZP_CONF_READ`), not YAML
 * (`ZP_CONF_SYNTAX`) or with bad keys or values (`ZP_CONF_INVALID`). The message lists every
 * issue as `path: problem (line N)`.
 */
export class ServerConfError extends Error {
  /** Stable machine-readable code. */
  readonly code: ServerConfErrorCode;
  /** Every problem found, in document order. */
  readonly issues: readonly ConfIssue[];
  /** The file (or other source name) the configuration came from, if any. */
  readonly source: string | undefined;

  constructor(code: ServerConfErrorCode, issues: readonly ConfIssue[], source?: string, cause?: unknown) {
    super(formatMessage(code, issues, source), cause === undefined ? undefined : { cause });
    this.code = code;
    this.issues = issues;
    this.source = source;
  }

  override get name(): string {
    return "ServerConfError";
  }
}

function formatMessage(code: ServerConfErrorCode, issues: readonly ConfIssue[], source: string | undefined): string {
  const what = code === "ZP_CONF_READ" ? "cannot read server configuration" : code === "ZP_CONF_SYNTAX" ? "server configuration is not valid YAML" : "invalid server configuration";
  const head = source === undefined ? what : `${what} (${source})`;
  const lines = issues.map((i) => `  ${formatConfPath(i.path)}: ${i.message}${i.line === undefined ? "" : ` (line ${i.line})`}`);
  return [head + ":", ...lines].join("\n");
}
