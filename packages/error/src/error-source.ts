/** Which side of the proxy an error came from. */
export type ErrorSource = "Upstream" | "Downstream" | "Internal" | "Unset";

/** The error sources, as constants. */
export const ErrorSource = Object.freeze({
  /** The error was caused by the upstream server (or the way to it). */
  Upstream: "Upstream",
  /** The error was caused by the downstream client. */
  Downstream: "Downstream",
  /** The error was caused by the proxy itself. */
  Internal: "Internal",
  /** Nobody decided yet. */
  Unset: "Unset",
} as const satisfies Record<ErrorSource, ErrorSource>);
