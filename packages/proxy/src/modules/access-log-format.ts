import { IsoTime } from "./iso-time.js";
import { jsonMillis, jsonString, jsonWireString } from "./json-string.js";
import { ModuleError, ModuleErrorType } from "./module-error.js";

/**
 * One finished request, as the logging phase knows it: a plain object. Its `method`,
 * `status`, `upstream`, `durationMs`, `connectMs`, `reused` and `errorCode` are those of
 * {@link MetricsRecord}, so one object can feed both the access log and the metrics.
 * Absent optional fields are written as `null`.
 */
export interface AccessLogRecord {
  /** When the request arrived or ended, in epoch ms (default: the time of `log()`). */
  time?: number | undefined;
  /** Client address. */
  clientIp?: string | undefined;
  /** Request method. */
  method: string;
  /** Request target as received (path and query), wire bytes. */
  path: string;
  /** Status sent downstream (0 when none was sent). */
  status: number;
  /** Body bytes sent downstream. */
  bytesSent?: number | undefined;
  /** Whole request time in ms (written rounded to microseconds). */
  durationMs: number;
  /** Name of the upstream peer that served it. */
  upstream?: string | undefined;
  /** Status the upstream answered (may differ from `status`). */
  upstreamStatus?: number | undefined;
  /** Time to connect to the upstream in ms, when a new connection was made. */
  connectMs?: number | undefined;
  /** Whether the upstream connection came from the pool. */
  reused?: boolean | undefined;
  /** Stable code of the error that ended the request (a `ZpError` code). */
  errorCode?: string | undefined;
  /** `User-Agent` value, wire bytes. */
  userAgent?: string | undefined;
  /** Request id (e.g. `X-Request-Id`), wire bytes. */
  requestId?: string | undefined;
}

/** A field an access log line can hold; the JSON key is the field's name. */
export type AccessLogField = keyof AccessLogRecord;

/** Every field, in the default order of a line. */
export const ACCESS_LOG_FIELDS: readonly AccessLogField[] = Object.freeze([
  "time",
  "clientIp",
  "method",
  "path",
  "status",
  "bytesSent",
  "durationMs",
  "upstream",
  "upstreamStatus",
  "connectMs",
  "reused",
  "errorCode",
  "userAgent",
  "requestId",
] as const);

const FIELD_IDS: Readonly<Record<AccessLogField, number>> = Object.freeze({
  time: 0,
  clientIp: 1,
  method: 2,
  path: 3,
  status: 4,
  bytesSent: 5,
  durationMs: 6,
  upstream: 7,
  upstreamStatus: 8,
  connectMs: 9,
  reused: 10,
  errorCode: 11,
  userAgent: 12,
  requestId: 13,
});

function validTime(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : Date.now();
}

function text(value: string | undefined): string {
  return value === undefined ? "null" : jsonString(value);
}

function wire(value: string | undefined): string {
  return value === undefined ? "null" : jsonWireString(value);
}

function integer(value: number | undefined): string {
  return value !== undefined && Number.isFinite(value) ? `${value}` : "null";
}

/**
 * Builds JSON lines for {@link AccessLogRecord}s with a fixed field list. The key of each
 * field (`,"status":`) is made once; a line is those keys and the values concatenated,
 * strings escaped only when they need it (see {@link jsonString}), no object serialised.
 */
export class AccessLogFormat {
  /** The fields written, in order. */
  readonly fields: readonly AccessLogField[];
  private readonly ids: Uint8Array;
  private readonly keys: string[];
  private readonly time = new IsoTime();

  /** Throws an `InvalidOption` {@link ModuleError} for an unknown, repeated or empty field list. */
  constructor(fields: readonly AccessLogField[] = ACCESS_LOG_FIELDS) {
    if (fields.length === 0) throw new ModuleError(ModuleErrorType.InvalidOption, "an access log needs at least one field");
    const seen = new Set<string>();
    for (const f of fields) {
      if (!Object.hasOwn(FIELD_IDS, f) || seen.has(f)) {
        throw new ModuleError(ModuleErrorType.InvalidOption, `unknown or repeated access log field ${JSON.stringify(f)}`);
      }
      seen.add(f);
    }
    this.fields = Object.freeze([...fields]);
    this.ids = Uint8Array.from(fields, (f) => FIELD_IDS[f]);
    this.keys = fields.map((f, i) => `${i === 0 ? "{" : ","}"${f}":`);
  }

  /** One line for `record`, newline included. */
  line(record: AccessLogRecord): string {
    const ids = this.ids;
    const keys = this.keys;
    let out = "";
    for (let i = 0; i < ids.length; i++) {
      out += keys[i]!;
      switch (ids[i]) {
        case 0:
          out += `"${this.time.format(validTime(record.time))}"`;
          break;
        case 1:
          out += text(record.clientIp);
          break;
        case 2:
          out += wire(record.method);
          break;
        case 3:
          out += wire(record.path);
          break;
        case 4:
          out += integer(record.status);
          break;
        case 5:
          out += integer(record.bytesSent);
          break;
        case 6:
          out += jsonMillis(record.durationMs);
          break;
        case 7:
          out += text(record.upstream);
          break;
        case 8:
          out += integer(record.upstreamStatus);
          break;
        case 9:
          out += jsonMillis(record.connectMs);
          break;
        case 10:
          out += record.reused === undefined ? "null" : record.reused ? "true" : "false";
          break;
        case 11:
          out += text(record.errorCode);
          break;
        case 12:
          out += wire(record.userAgent);
          break;
        default:
          out += wire(record.requestId);
          break;
      }
    }
    return `${out}}\n`;
  }
}
