/**
 * Where the proxy writes its error log: one line per failed request (`error`) and per
 * failed attempt that is retried (`warn`). A `@zp/runtime` `ErrorLog` fits.
 */
export interface ProxyLogger {
  /** A request failed for good. */
  error(message: string): void;
  /** An attempt failed and is retried. */
  warn(message: string): void;
}

/** Writes to stderr. */
export const stderrLogger: ProxyLogger = {
  error(message: string): void {
    process.stderr.write(`${new Date().toISOString()} [error] ${message}\n`);
  },
  warn(message: string): void {
    process.stderr.write(`${new Date().toISOString()} [warn] ${message}\n`);
  },
};
