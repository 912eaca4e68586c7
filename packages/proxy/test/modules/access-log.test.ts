import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  ACCESS_LOG_FIELDS,
  AccessLog,
  AccessLogFormat,
  type AccessLogRecord,
  IsoTime,
  ModuleError,
  jsonMillis,
  jsonString,
  jsonWireString,
} from "../../src/modules/index.js";

const dir = mkdtempSync(join(tmpdir(), "zp-access-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
const tempFile = (): string => join(dir, `access-${fileCount++}.log`);

function readLines(path: string): Record<string, unknown>[] {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n") || text === "").toBe(true);
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The UTF-8 bytes of `text` as a latin1 string: what @zp/http hands over for a header value. */
const wireOf = (text: string): string => Buffer.from(text, "utf8").toString("latin1");

const record = (i: number): AccessLogRecord => ({
  time: Date.UTC(2024, 4, 1, 12, 0, 0, i % 1000),
  clientIp: `10.0.${i >> 8}.${i & 255}`,
  method: i % 2 === 0 ? "GET" : "POST",
  path: `/items/${i}?q=${i * 7}`,
  status: 200 + (i % 3),
  bytesSent: i * 10,
  durationMs: i / 8,
  upstream: i % 5 === 0 ? undefined : "api",
  upstreamStatus: 200,
  connectMs: i % 4 === 0 ? 1.25 : undefined,
  reused: i % 4 !== 0,
  errorCode: i % 11 === 0 ? "ZP_READ_TIMEOUT" : undefined,
  userAgent: "curl/8.5.0",
  requestId: `req-${i}`,
});

describe("AccessLog", () => {
  it("writes N records that read back as JSON lines with every field", async () => {
    const path = tempFile();
    const log = new AccessLog({ destination: path, bufferSize: 4096, maxBufferedBytes: 4 << 20 });
    const n = 5000;
    for (let i = 0; i < n; i++) {
      log.log(record(i));
      // Requests arrive over many event loop turns, which lets writes complete.
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    await log.close();
    const lines = readLines(path);
    expect(lines.length).toBe(n);
    expect(log.written).toBe(n);
    expect(log.dropped).toBe(0);
    for (let i = 0; i < n; i += 997) {
      const r = record(i);
      expect(lines[i]).toEqual({
        time: new Date(r.time!).toISOString(),
        clientIp: r.clientIp,
        method: r.method,
        path: r.path,
        status: r.status,
        bytesSent: r.bytesSent,
        durationMs: r.durationMs,
        upstream: r.upstream ?? null,
        upstreamStatus: 200,
        connectMs: r.connectMs ?? null,
        reused: r.reused,
        errorCode: r.errorCode ?? null,
        userAgent: "curl/8.5.0",
        requestId: `req-${i}`,
      });
      expect(Object.keys(lines[i]!)).toEqual(ACCESS_LOG_FIELDS);
    }
  });

  it("escapes quotes, backslashes, control characters and decodes UTF-8 wire bytes", async () => {
    const path = tempFile();
    const log = new AccessLog({ destination: path });
    const nasty = [
      { path: '/a"b\\c', userAgent: 'Agent "quoted" \\ back' },
      { path: "/line\nbreak\r\ttab\u0000nul\u007f", userAgent: "new\nline" },
      { path: wireOf("/café/ü?q=日本"), userAgent: wireOf("Mozilla/5.0 (Ünïcödé; 😀)") },
      { path: "/caf\u00e9-latin1-not-utf8", userAgent: "\u00ff\u00fe" },
      { path: "/js-text-€-😀", userAgent: "lone \ud800 surrogate" },
      { path: "/", userAgent: wireOf("\ufffd replacement") },
    ];
    for (const { path: p, userAgent } of nasty) log.log({ method: "GET", path: p, status: 200, durationMs: 1, userAgent, requestId: 'id"1' });
    await log.close();
    const lines = readLines(path);
    expect(lines.map((l) => [l.path, l.userAgent])).toEqual([
      ['/a"b\\c', 'Agent "quoted" \\ back'],
      ["/line\nbreak\r\ttab\u0000nul\u007f", "new\nline"],
      ["/café/ü?q=日本", "Mozilla/5.0 (Ünïcödé; 😀)"],
      ["/caf\u00e9-latin1-not-utf8", "\u00ff\u00fe"],
      ["/js-text-€-😀", "lone \ud800 surrogate"],
      ["/", "\ufffd replacement"],
    ]);
    expect(lines.every((l) => l.requestId === 'id"1')).toBe(true);
    // One record per physical line, whatever the values held.
    expect(readFileSync(path, "utf8").split("\n").length).toBe(nasty.length + 1);
  });

  it("writes numbers as they are, rounds durations to microseconds and nulls what is not finite", () => {
    const format = new AccessLogFormat(["status", "durationMs", "bytesSent", "reused", "upstreamStatus"]);
    const line = format.line({ method: "GET", path: "/", status: 204, durationMs: 1.23456789, bytesSent: Number.NaN, reused: false });
    expect(line).toBe('{"status":204,"durationMs":1.235,"bytesSent":null,"reused":false,"upstreamStatus":null}\n');
    expect(JSON.parse(format.line({ method: "GET", path: "/", status: 200, durationMs: Number.POSITIVE_INFINITY })).durationMs).toBe(null);
  });

  it("writes the chosen fields in the chosen order and refuses unknown ones", () => {
    const format = new AccessLogFormat(["status", "method", "time"]);
    const line = format.line({ time: Date.UTC(2030, 0, 2, 3, 4, 5, 6), method: "PUT", path: "/", status: 201, durationMs: 1 });
    expect(line).toBe('{"status":201,"method":"PUT","time":"2030-01-02T03:04:05.006Z"}\n');
    expect(() => new AccessLogFormat(["status", "nope" as "status"])).toThrow(ModuleError);
    expect(() => new AccessLogFormat(["status", "status"])).toThrow(ModuleError);
    expect(() => new AccessLogFormat([])).toThrow(ModuleError);
  });

  it("stamps the time of log() when the record has none", () => {
    const before = Date.now();
    const line = JSON.parse(new AccessLogFormat(["time"]).line({ method: "GET", path: "/", status: 200, durationMs: 0 }));
    const stamped = Date.parse(line.time);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });

  it("flushes on close, and on its timer without any call", async () => {
    const onClose = tempFile();
    const a = new AccessLog({ destination: onClose, flushIntervalMs: 60_000 });
    a.log(record(1));
    a.log(record(2));
    expect(readFileSync(onClose, "utf8")).toBe("");
    await a.close();
    expect(readLines(onClose).map((l) => l.requestId)).toEqual(["req-1", "req-2"]);
    a.log(record(3));
    expect(a.dropped).toBe(1);
    await a.close(); // twice is fine

    const onTimer = tempFile();
    const b = new AccessLog({ destination: onTimer, flushIntervalMs: 20 });
    b.log(record(4));
    for (let i = 0; i < 100 && readFileSync(onTimer, "utf8") === ""; i++) await new Promise((r) => setTimeout(r, 10));
    expect(readLines(onTimer).map((l) => l.requestId)).toEqual(["req-4"]);
    b.log(record(5)); // the timer re-arms
    for (let i = 0; i < 100 && readLines(onTimer).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(readLines(onTimer).length).toBe(2);
    await b.close();
  });

  it("writes to a file descriptor and leaves it open", async () => {
    const path = tempFile();
    const fd = openSync(path, "a");
    const log = new AccessLog({ destination: fd });
    log.log(record(7));
    await log.flush();
    await log.close();
    const again = new AccessLog({ destination: fd }); // still open: not ours to close
    again.log(record(8));
    await again.close();
    expect(readLines(path).map((l) => l.requestId)).toEqual(["req-7", "req-8"]);
  });

  it("writes to a stream", async () => {
    const sink = new PassThrough();
    const received: Buffer[] = [];
    sink.on("data", (c: Buffer) => received.push(c));
    const log = new AccessLog({ destination: sink, fields: ["requestId"] });
    for (let i = 0; i < 3; i++) log.log(record(i));
    await log.flush();
    expect(Buffer.concat(received).toString()).toBe('{"requestId":"req-0"}\n{"requestId":"req-1"}\n{"requestId":"req-2"}\n');
    await log.close();
  });

  it("drops and counts lines rather than grow while the destination is stalled", async () => {
    // A stream that never finishes a write: the first write fills it, no 'drain' ever comes.
    const stalled = new Writable({ highWaterMark: 1, write: () => {} });
    const log = new AccessLog({ destination: stalled, bufferSize: 1024, maxBufferedBytes: 8192, flushIntervalMs: 5 });
    const n = 2000;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      log.log(record(i));
      peak = Math.max(peak, log.bufferedBytes);
    }
    await new Promise((r) => setTimeout(r, 30)); // timers fire; nothing can be written
    expect(peak).toBeLessThanOrEqual(8192);
    expect(log.bufferedBytes).toBeLessThanOrEqual(8192);
    expect(log.dropped).toBeGreaterThan(n / 2);
    expect(log.written + log.dropped + log.bufferedLines).toBe(n);
    // Once the stream drains, buffered lines go out.
    const before = log.written;
    stalled.emit("drain");
    expect(log.written).toBeGreaterThan(before);
  });

  it("counts lines of failed writes as dropped and reports the error", async () => {
    const errors: ModuleError[] = [];
    const path = tempFile();
    writeFileSync(path, "");
    const fd = openSync(path, "r"); // read-only: writes fail with EBADF
    const log = new AccessLog({ destination: fd, onError: (e) => errors.push(e), autoClose: true });
    log.log(record(1));
    log.log(record(2));
    await log.close();
    expect(log.dropped).toBe(2);
    expect(log.written).toBe(0);
    expect(errors[0]?.code).toBe("ZP_FILE_WRITE_ERROR");
  });

  it("refuses destinations it cannot use", () => {
    expect(() => new AccessLog({ destination: join(dir, "missing-dir", "x.log") })).toThrow(ModuleError);
    expect(() => new AccessLog({ destination: {} as Writable })).toThrow(ModuleError);
    expect(() => new AccessLog({ destination: tempFile(), bufferSize: 0 })).toThrow(ModuleError);
  });
});

describe("JSON strings", () => {
  it("quote plain text as it is and escape the rest like JSON.stringify", () => {
    for (const s of ["", "plain /path?x=1", 'q"', "b\\", "\u0001", "\u007f", "é", "😀", "\ud800"]) {
      expect(JSON.parse(jsonString(s))).toBe(s);
      if (/^[\x20-\x7e]*$/.test(s) && !/["\\]/.test(s)) expect(jsonString(s)).toBe(`"${s}"`);
    }
    expect(JSON.parse(jsonWireString(wireOf("ü")))).toBe("ü");
    expect(JSON.parse(jsonWireString("\u00c3"))).toBe("\u00c3"); // a lone lead byte stays a byte
  });
});

describe("number and time formatting", () => {
  it("writes milliseconds rounded to microseconds as valid JSON numbers", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (ms) => {
        expect(JSON.parse(jsonMillis(ms))).toBe(Math.round(ms * 1000) / 1000 || 0);
      }),
    );
    expect([jsonMillis(3.4567), jsonMillis(12), jsonMillis(0.05), jsonMillis(1.007), jsonMillis(-2.5)]).toEqual([
      "3.457",
      "12",
      "0.05",
      "1.007",
      "-2.5",
    ]);
    expect([jsonMillis(undefined), jsonMillis(Number.NaN), jsonMillis(Number.NEGATIVE_INFINITY)]).toEqual(["null", "null", "null"]);
  });

  it("formats times like toISOString, in any order", () => {
    const time = new IsoTime();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799998 }), (ms) => {
        expect(time.format(ms)).toBe(new Date(ms).toISOString());
        expect(time.format(ms + 1)).toBe(new Date(ms + 1).toISOString());
      }),
    );
  });
});
