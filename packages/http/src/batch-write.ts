import type { Writable } from "node:stream";

// Writers holding bytes this turn of the event loop; all are flushed together at its end,
// the early ones first. Writing every connection's output in one burst, instead of spread
// over the processing of a batch of I/O events, wakes each peer once per burst instead of
// once per write: a sleeping receiver costs the writer a wake-up inside the write call.
const early: BatchedWriter[] = [];
const late: BatchedWriter[] = [];
let flushScheduled = false;

function flushList(list: BatchedWriter[]): void {
  // a writer that holds bytes again while this runs (a write from a 'drain' listener)
  // is appended and flushed by this same loop
  for (let i = 0; i < list.length; i++) {
    const writer = list[i]!;
    writer.queued = false;
    writer.flush();
  }
  list.length = 0;
}

function flushPending(): void {
  flushScheduled = false;
  flushList(early);
  flushList(late);
  if (early.length > 0) flushList(early); // held again by a late writer's drain listener
}

/** Options of a {@link BatchedWriter}. */
export interface BatchedWriterOptions {
  /**
   * Flush this writer before the others of its turn. `@zp/http-client` connections are
   * early writers: in a proxy, requests reach the upstream before the responses of the same
   * turn go back to clients, so the upstream starts working while the rest is written.
   */
  early?: boolean;
}

/**
 * Writes to one stream (a socket), holding small writes until the end of the current
 * event-loop turn, when every writer's held bytes go out together (`early` writers first).
 * Several writes in a turn go out in one `writev`.
 *
 * - {@link BatchedWriter.write} returns what `stream.write` would: bytes are held only while
 *   they and the stream's own buffer stay under its high-water mark, so the answer is
 *   `true`; beyond that (or when the stream is corked, or needs a drain) the held bytes and
 *   the new ones are written at once and the stream's answer is returned.
 * - Anything else done to the stream directly (`end`, `destroy`, handing it over) must
 *   come after {@link BatchedWriter.flush}, or the held bytes come after it or are lost.
 *
 * Holding allocates nothing: the writer keeps references to the chunks it was given, which
 * must not change until flushed.
 *
 * @example
 * ```ts
 * const out = new BatchedWriter(socket);
 * out.write(head); // held
 * out.write(body); // held: both leave in one writev when this turn ends
 * ```
 */
export class BatchedWriter {
  /** @internal Whether this writer is in this turn's flush list. */
  queued = false;
  private readonly list: BatchedWriter[];
  private first: Uint8Array | string | undefined = undefined;
  private rest: (Uint8Array | string)[] | undefined = undefined;
  private heldLength = 0;

  constructor(
    readonly stream: Writable,
    options: BatchedWriterOptions = {},
  ) {
    this.list = options.early === true ? early : late;
  }

  /** Bytes (string characters count one each) held for the end of the turn. */
  get held(): number {
    return this.heldLength;
  }

  /** Writes `data`, held until the end of the turn when small enough; see the class notes. */
  write(data: Uint8Array | string): boolean {
    const stream = this.stream;
    const length = this.heldLength + data.length;
    if (length + stream.writableLength >= stream.writableHighWaterMark || stream.writableCorked > 0 || stream.writableNeedDrain) {
      this.flush();
      return stream.write(data);
    }
    if (this.first === undefined) {
      this.first = data;
      if (!this.queued) {
        this.queued = true;
        this.list.push(this);
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flushPending);
        }
      }
    } else {
      (this.rest ??= []).push(data);
    }
    this.heldLength = length;
    return true;
  }

  /** Writes what is held now. Held bytes of a destroyed stream are dropped, as its own buffer is. */
  flush(): void {
    const first = this.first;
    if (first === undefined) return;
    const rest = this.rest;
    this.first = this.rest = undefined;
    this.heldLength = 0;
    const stream = this.stream;
    if (stream.destroyed) return;
    if (rest === undefined) {
      stream.write(first);
      return;
    }
    stream.cork();
    stream.write(first);
    for (let i = 0; i < rest.length; i++) stream.write(rest[i]!);
    stream.uncork();
  }
}
