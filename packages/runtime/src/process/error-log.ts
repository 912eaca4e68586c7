import { appendFileSync } from "node:fs";

/** Severity of an {@link ErrorLog} line. */
export type LogLevel = "info" | "warn" | "error";

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
  }
  return String(err);
}

/**
 * The server's error log: lines appended to the `error_log` file, or written to stderr when
 * none is configured. Writes are synchronous, so nothing is lost when the process exits right
 * after. When the file cannot be written the line goes to stderr instead.
 *
 * A line reads `2025-01-31T12:00:00.000Z [error] [pid 4242] worker 1 exited (SIGKILL)`.
 */
export class ErrorLog {
  /** The file lines are appended to, or `null` for stderr. */
  readonly path: string | null;

  constructor(path: string | null = null) {
    this.path = path;
  }

  /** A lifecycle notice (start, signals, handover). */
  info(message: string): void {
    this.write("info", message);
  }

  /** Something unexpected that the server handled. */
  warn(message: string, err?: unknown): void {
    this.write("warn", err === undefined ? message : `${message}: ${describe(err)}`);
  }

  /** A failure. */
  error(message: string, err?: unknown): void {
    this.write("error", err === undefined ? message : `${message}: ${describe(err)}`);
  }

  /** Writes one line at `level`. */
  write(level: LogLevel, message: string): void {
    const line = `${new Date().toISOString()} [${level}] [pid ${process.pid}] ${message}\n`;
    if (this.path !== null) {
      try {
        appendFileSync(this.path, line);
        return;
      } catch (err) {
        process.stderr.write(`${new Date().toISOString()} [warn] [pid ${process.pid}] cannot write error_log ${this.path}: ${describe(err)}\n`);
      }
    }
    process.stderr.write(line);
  }
}
