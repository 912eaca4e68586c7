import { Buffer } from "node:buffer";
import fs from "node:fs";
import type { Writable } from "node:stream";
import { type AccessLogField, AccessLogFormat, type AccessLogRecord } from "./access-log-format.js";
import { ModuleError, ModuleErrorType, requireInteger } from "./module-error.js";

/** Options of {@link AccessLog}. */
export interface AccessLogOptions {
  /** A file path (opened for appending), an open file descriptor, or a writable stream. */
  destination: string | number | Writable;
  /** Fields of each line, in order (default: all, see {@link ACCESS_LOG_FIELDS}). */
  fields?: readonly AccessLogField[];
  /** Buffered bytes that trigger a write (default 64 KiB). */
  bufferSize?: number;
  /** Longest time a line waits in the buffer, in ms (default 100). */
  flushIntervalMs?: number;
  /**
   * Most bytes held while a write is in progress (default 4 MiB, or 2 x `bufferSize` if
   * larger); lines beyond are dropped and counted in {@link AccessLog.dropped}, so a slow
   * disk or a stalled pipe costs log lines, never unbounded memory.
   */
  maxBufferedBytes?: number;
  /** Close the destination on `close()` (default: true for a path, false for a descriptor or a stream). */
  autoClose?: boolean;
  /** Called when a write fails (its lines are dropped). Must not throw. */
  onError?: (err: ModuleError) => void;
}

/**
 * A JSON-lines access log, one line per request, cheap enough for the hot path.
 *
 * `log(record)` builds the line by concatenation (see {@link AccessLogFormat}) and appends
 * it to a string buffer; one `fs.write` (or `stream.write`) sends the buffer when it holds
 * `bufferSize` bytes, or `flushIntervalMs` after its first line (one unref'd timer, re-armed
 * with `refresh()`, never keeping the process alive). At most one write is in progress;
 * while it is, lines accumulate up to `maxBufferedBytes`, then are dropped and counted.
 *
 * @example
 * ```ts
 * const log = new AccessLog({ destination: "/var/log/zp/access.log" });
 * log.log({ clientIp: "10.0.0.1", method: "GET", path: "/", status: 200, bytesSent: 512, durationMs: 3.2 });
 * await log.close();
 * ```
 */
export class AccessLog {
  /** The line format. */
  readonly format: AccessLogFormat;
  /** Lines dropped: buffer full during a slow write, a failed write, or logged after `close()`. */
  dropped = 0;
  /** Lines written to the destination. */
  written = 0;
  private readonly fd: number;
  private readonly stream: Writable | undefined;
  private readonly ownsDestination: boolean;
  private readonly bufferSize: number;
  private readonly maxBufferedBytes: number;
  private readonly flushIntervalMs: number;
  private readonly onError: ((err: ModuleError) => void) | undefined;
  private pending = "";
  private pendingLines = 0;
  /** Bytes of the write in progress (fd destinations) and how far it got. */
  private inflight: Buffer | undefined = undefined;
  private inflightOffset = 0;
  private inflightLines = 0;
  private writing = false;
  private closed = false;
  private broken = false;
  private timer: NodeJS.Timeout | undefined = undefined;
  private timerArmed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly onTimer: () => void;
  private readonly onFdWritten: (err: NodeJS.ErrnoException | null, bytes: number) => void;
  private readonly onDrain: () => void;

  /** Opens a path destination synchronously (throws a `ZP_FILE_WRITE_ERROR` {@link ModuleError} if it cannot). */
  constructor(options: AccessLogOptions) {
    this.format = new AccessLogFormat(options.fields);
    this.bufferSize = requireInteger("bufferSize", options.bufferSize ?? 64 * 1024, 1, 1 << 30);
    this.maxBufferedBytes = requireInteger(
      "maxBufferedBytes",
      options.maxBufferedBytes ?? Math.max(4 << 20, 2 * this.bufferSize),
      this.bufferSize,
      2 ** 31,
    );
    this.flushIntervalMs = requireInteger("flushIntervalMs", options.flushIntervalMs ?? 100, 1, 2 ** 31 - 1);
    this.onError = options.onError;
    this.onTimer = () => this.timerFired();
    this.onFdWritten = (err, bytes) => this.fdWritten(err, bytes);
    this.onDrain = () => this.writeDone();
    const destination = options.destination;
    if (typeof destination === "string") {
      try {
        this.fd = fs.openSync(destination, "a", 0o640);
      } catch (err) {
        throw new ModuleError(ModuleErrorType.LogWriteFailed, `opening access log ${destination}`, err);
      }
      this.stream = undefined;
      this.ownsDestination = options.autoClose ?? true;
    } else if (typeof destination === "number") {
      requireInteger("destination", destination, 0, 2 ** 31 - 1);
      this.fd = destination;
      this.stream = undefined;
      this.ownsDestination = options.autoClose ?? false;
    } else if (destination !== null && typeof destination === "object" && typeof destination.write === "function") {
      this.fd = -1;
      this.stream = destination;
      this.ownsDestination = options.autoClose ?? false;
      destination.on("drain", this.onDrain);
      destination.on("error", (err: Error) => this.streamFailed(err));
    } else {
      throw new ModuleError(ModuleErrorType.InvalidOption, "destination must be a path, a file descriptor or a writable stream");
    }
  }

  /** Bytes (UTF-16 units, equal to bytes for ASCII lines) waiting to be written. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** Lines waiting in the buffer or in the write in progress. */
  get bufferedLines(): number {
    return this.pendingLines + (this.inflight === undefined ? 0 : this.inflightLines);
  }

  /** Appends one line for `record`; never throws for I/O and never blocks. */
  log(record: AccessLogRecord): void {
    if (this.closed || this.broken) {
      this.dropped++;
      return;
    }
    const line = this.format.line(record);
    if (this.pending.length + line.length > this.maxBufferedBytes) {
      this.dropped++;
      return;
    }
    this.pending += line;
    this.pendingLines++;
    if (this.pending.length >= this.bufferSize) {
      if (!this.writing) this.startWrite();
    } else if (!this.timerArmed) {
      this.armTimer();
    }
  }

  /** Writes everything buffered; resolves when it is written (or dropped after an error). */
  flush(): Promise<void> {
    if (!this.writing) this.startWrite();
    if (!this.writing && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Flushes, stops the timer and, when the log owns its destination, closes it. Lines
   * logged afterwards are dropped.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerArmed = false;
    const stream = this.stream;
    if (stream !== undefined) {
      stream.off("drain", this.onDrain);
      if (this.ownsDestination) await new Promise<void>((resolve) => stream.end(resolve));
      return;
    }
    if (this.ownsDestination) {
      await new Promise<void>((resolve) => fs.close(this.fd, () => resolve()));
    }
  }

  private armTimer(): void {
    this.timerArmed = true;
    if (this.timer === undefined) {
      this.timer = setTimeout(this.onTimer, this.flushIntervalMs);
      this.timer.unref();
    } else {
      this.timer.refresh();
    }
  }

  private timerFired(): void {
    this.timerArmed = false;
    if (!this.writing) this.startWrite();
  }

  private startWrite(): void {
    if (this.pending.length === 0 || this.broken) {
      this.settleIdle();
      return;
    }
    const data = this.pending;
    const lines = this.pendingLines;
    this.pending = "";
    this.pendingLines = 0;
    this.writing = true;
    if (this.stream !== undefined) {
      this.written += lines;
      let more = true;
      try {
        more = this.stream.write(data);
      } catch (err) {
        this.streamFailed(err as Error);
        return;
      }
      // On backpressure wait for 'drain' (writeDone) before the next write.
      if (more) this.writeDone();
      return;
    }
    const bytes = Buffer.from(data, "utf8");
    this.inflight = bytes;
    this.inflightOffset = 0;
    this.inflightLines = lines;
    fs.write(this.fd, bytes, 0, bytes.length, null, this.onFdWritten);
  }

  private fdWritten(err: NodeJS.ErrnoException | null, bytes: number): void {
    const buffer = this.inflight!;
    if (err) {
      this.dropped += this.inflightLines;
      this.inflight = undefined;
      this.report(new ModuleError(ModuleErrorType.LogWriteFailed, "writing the access log", err));
      this.writeDone();
      return;
    }
    this.inflightOffset += bytes;
    if (this.inflightOffset < buffer.length) {
      // A short write (pipes, full disks): send the rest before anything else.
      fs.write(this.fd, buffer, this.inflightOffset, buffer.length - this.inflightOffset, null, this.onFdWritten);
      return;
    }
    this.written += this.inflightLines;
    this.inflight = undefined;
    this.writeDone();
  }

  private writeDone(): void {
    if (!this.writing) return;
    this.writing = false;
    if (this.pending.length >= this.bufferSize || (this.pending.length > 0 && (this.idleWaiters.length > 0 || !this.timerArmed))) {
      this.startWrite();
      return;
    }
    if (this.pending.length === 0) this.settleIdle();
  }

  private settleIdle(): void {
    if (this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private streamFailed(err: Error): void {
    if (this.broken) return;
    this.broken = true;
    this.dropped += this.pendingLines;
    this.pending = "";
    this.pendingLines = 0;
    this.writing = false;
    this.report(new ModuleError(ModuleErrorType.LogWriteFailed, "writing the access log stream", err));
    this.settleIdle();
  }

  private report(err: ModuleError): void {
    if (this.onError === undefined) return;
    try {
      this.onError(err);
    } catch {
      // a hook must not break logging
    }
  }
}
