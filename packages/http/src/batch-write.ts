import type { Writable } from "node:stream";

// Sockets corked by `writeBatched` during this turn of the event loop, uncorked together at
// its end. Writing every socket's output in one burst, instead of spread over the processing
// of a batch of I/O events, wakes each peer once per burst instead of once per write: a
// sleeping receiver costs the writer a wake-up inside the write call.
const corked: Writable[] = [];
let flushScheduled = false;

function flushBatch(): void {
  flushScheduled = false;
  // a socket corked while flushing (a write from a 'drain' listener) goes to the next batch
  const n = corked.length;
  for (let i = 0; i < n; i++) corked[i]!.uncork();
  if (corked.length === n) corked.length = 0;
  else corked.splice(0, n);
}

/**
 * Writes `data` to `stream` and holds it (corked) until the end of the current event-loop
 * turn, when every stream written this way is flushed together; many writes to one stream in
 * a turn go out in one `writev`. Returns what `stream.write` returns, so backpressure works as
 * usual. Before destroying a stream written this way, call {@link flushBatched} so the held
 * bytes are not dropped.
 */
export function writeBatched(stream: Writable, data: Uint8Array | string): boolean {
  if (stream.writableCorked === 0) {
    stream.cork();
    corked.push(stream);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushBatch);
    }
  }
  return stream.write(data);
}

/** Flushes what {@link writeBatched} holds for `stream` now (before a `destroy`, say). */
export function flushBatched(stream: Writable): void {
  if (stream.writableCorked > 0) stream.uncork();
}
