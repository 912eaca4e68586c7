import { Buffer } from "node:buffer";
import { ErrorType, ZpError } from "@zp/error";
import { HeaderKeySet, HeaderMap, copyBytes, equalsLowercase, hasListToken, isValidHeaderName, isValidHeaderValue, lastListTokenIs, writeLatin1 } from "@zp/http";

/**
 * Header fields of a response: a {@link HeaderMap} (what a proxy forwards) or a plain
 * object of values (what an application writes). Object values are validated when the
 * head is sent; a `HeaderMap` validated them when they were set.
 */
export type ResponseHeaderInit = HeaderMap | Readonly<Record<string, string | number | readonly string[] | undefined>>;

// Kinds of fields the server looks at while writing a head.
const K_OTHER = 0;
const K_CONTENT_LENGTH = 1;
const K_TRANSFER_ENCODING = 2;
const K_HOP = 3; // Connection, Keep-Alive: the server writes its own
const K_DATE = 4;
const K_SERVER = 5;

/** The fields a `HeaderMap` is scanned for, and their kinds. */
const SPECIAL_KEYS = ["content-length", "transfer-encoding", "connection", "keep-alive"] as const;
const SPECIAL_KINDS = [K_CONTENT_LENGTH, K_TRANSFER_ENCODING, K_HOP, K_HOP] as const;
/** {@link SPECIAL_KEYS}, then `date` and `server`: what one pass over a `HeaderMap` looks for. */
const SCANNED_KEYS = new HeaderKeySet([...SPECIAL_KEYS, "date", "server"]);
const SPECIAL_MASK = (1 << SPECIAL_KEYS.length) - 1;
const HAS_DATE = 1 << 4;
const HAS_SERVER = 1 << 5;

/** Keys `writeFields` leaves out of a `HeaderMap`, by what it keeps. */
const SKIP_HOP = ["connection", "keep-alive"];
const SKIP_HOP_LENGTH = ["connection", "keep-alive", "content-length"];
const SKIP_HOP_CODING = ["connection", "keep-alive", "transfer-encoding"];
const SKIP_HOP_LENGTH_CODING = ["connection", "keep-alive", "content-length", "transfer-encoding"];

function kindOfName(name: string): number {
  switch (name.length) {
    case 14:
      return equalsLowercase(name, "content-length") ? K_CONTENT_LENGTH : K_OTHER;
    case 17:
      return equalsLowercase(name, "transfer-encoding") ? K_TRANSFER_ENCODING : K_OTHER;
    case 10:
      return equalsLowercase(name, "connection") || equalsLowercase(name, "keep-alive") ? K_HOP : K_OTHER;
    case 4:
      return equalsLowercase(name, "date") ? K_DATE : K_OTHER;
    case 6:
      return equalsLowercase(name, "server") ? K_SERVER : K_OTHER;
    default:
      return K_OTHER;
  }
}

/**
 * What is known about a plain-object field name: it is valid, its kind, and the last
 * value seen with it. A value seen twice in a row gets its whole `name: value\r\n` line
 * encoded once and copied from then on: the constant fields of an application
 * (`Content-Type: text/plain`) are validated and encoded once, not per response.
 */
interface NameEntry {
  readonly kind: number;
  value: string;
  line: Buffer | undefined;
}

const names = new Map<string, NameEntry>();
/** Distinct names remembered; beyond, names are checked every time. */
const NAME_CACHE_LIMIT = 1024;

function nameEntry(name: string): NameEntry {
  const known = names.get(name);
  if (known !== undefined) return known;
  if (!isValidHeaderName(name)) throw invalidHeader(`invalid header name ${JSON.stringify(name)}`);
  const entry: NameEntry = { kind: kindOfName(name), value: "", line: undefined };
  if (names.size < NAME_CACHE_LIMIT) names.set(name, entry);
  return entry;
}

function kindOfObjectName(name: string): number {
  return nameEntry(name).kind;
}

function invalidHeader(context: string): ZpError {
  return new ZpError(ErrorType.InvalidHTTPHeader, { context, source: "Internal" });
}

/** Parses a Content-Length value: digits only, at most 2^53 - 1. */
function parseLength(value: string): number {
  const len = value.length;
  if (len === 0 || len > 16) throw invalidHeader(`invalid Content-Length ${JSON.stringify(value)}`);
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) throw invalidHeader(`invalid Content-Length ${JSON.stringify(value)}`);
    n = n * 10 + d;
  }
  if (n > Number.MAX_SAFE_INTEGER) throw invalidHeader(`Content-Length too large: ${value}`);
  return n;
}

function checkValue(name: string, value: string): void {
  if (typeof value !== "string" || !isValidHeaderValue(value)) {
    throw invalidHeader(`invalid value for header ${JSON.stringify(name)}`);
  }
}

function numberValue(name: string, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw invalidHeader(`invalid number for header ${JSON.stringify(name)}`);
  return String(value);
}

/**
 * What the response fields say about framing and which of them the server writes itself.
 * Plain-object fields are validated and copied into reusable arrays in one pass, so the
 * writer never walks the object again. One instance serves every head: heads are
 * written synchronously, one at a time.
 */
export class FieldFacts {
  /** The Content-Length given, or -1. */
  contentLength = -1;
  /** Whether a Transfer-Encoding field was given. */
  transferEncoding = false;
  /** Whether the last transfer coding given is `chunked`. */
  chunkedLast = false;
  /** Whether a Connection field holds `close`. */
  connectionClose = false;
  /** Whether a Date field was given. */
  hasDate = false;
  /** Whether a Server field was given. */
  hasServer = false;
  /** Encoded bytes of the fields that are always written. */
  plainBytes = 0;
  /** Encoded bytes of the Content-Length fields. */
  lengthBytes = 0;
  /** Encoded bytes of the Transfer-Encoding fields. */
  codingBytes = 0;
  /** Whether a Connection or Keep-Alive field was given (never written as given). */
  hop = false;
  /** The fields scanned, when they were a `HeaderMap` (written from it directly). */
  map: HeaderMap | undefined = undefined;
  /** Plain-object fields, flattened: `count` names, values and kinds. */
  count = 0;
  readonly names: string[] = [];
  readonly values: string[] = [];
  readonly kinds: number[] = [];
  /** The encoded line of a field, when its value is a repeat (else undefined). */
  readonly lines: (Buffer | undefined)[] = [];
  /** For each field of a scanned `HeaderMap`, which of the scanned keys it is named (or -1). */
  private readonly matches: number[] = [];

  /** Scans `fields`, validating plain-object ones. */
  scan(fields: ResponseHeaderInit | undefined): void {
    this.contentLength = -1;
    this.transferEncoding = false;
    this.chunkedLast = false;
    this.connectionClose = false;
    this.hasDate = false;
    this.hasServer = false;
    this.plainBytes = 0;
    this.lengthBytes = 0;
    this.codingBytes = 0;
    this.hop = false;
    this.map = undefined;
    this.count = 0;
    if (fields === undefined) return;
    if (fields instanceof HeaderMap) {
      // lookups by name, not a walk over every key: a map still held as wire bytes
      // (a proxied response) stays so, and is written by copying them
      this.map = fields;
      let plain = fields.encodedLength();
      const matches = this.matches;
      const present = fields.matchKeys(SCANNED_KEYS, matches);
      if ((present & SPECIAL_MASK) !== 0) {
        for (let i = 0, n = fields.size; i < n; i++) {
          const k = matches[i]!;
          if (k < 0 || k >= SPECIAL_KEYS.length) continue;
          const value = fields.valueAt(i)!;
          const bytes = SPECIAL_KEYS[k]!.length + value.length + 4;
          plain -= bytes;
          this.note(SPECIAL_KINDS[k]!, value, bytes);
        }
      }
      this.hasDate = (present & HAS_DATE) !== 0;
      this.hasServer = (present & HAS_SERVER) !== 0;
      this.plainBytes = plain;
      return;
    }
    for (const name in fields) {
      const raw = fields[name];
      if (raw === undefined) continue;
      const entry = nameEntry(name);
      if (typeof raw === "string") {
        if (raw === entry.value) {
          // validated before; encode the line on its second use, copy it afterwards
          if (entry.line === undefined) entry.line = Buffer.from(`${name}: ${raw}\r\n`, "latin1");
          this.add(name, raw, entry.kind, entry.line);
        } else {
          checkValue(name, raw);
          entry.value = raw;
          entry.line = undefined;
          this.add(name, raw, entry.kind, undefined);
        }
      } else if (typeof raw === "number") {
        this.add(name, numberValue(name, raw), entry.kind, undefined);
      } else {
        for (const value of raw) {
          checkValue(name, value);
          this.add(name, value, entry.kind, undefined);
        }
      }
    }
  }

  private add(name: string, value: string, kind: number, line: Buffer | undefined): void {
    const i = this.count++;
    this.names[i] = name;
    this.values[i] = value;
    this.kinds[i] = kind;
    this.lines[i] = line;
    this.note(kind, value, name.length + value.length + 4);
  }

  private note(kind: number, value: string, bytes: number): void {
    switch (kind) {
      case K_OTHER:
        break;
      case K_CONTENT_LENGTH: {
        const n = parseLength(value);
        if (this.contentLength >= 0 && this.contentLength !== n) throw invalidHeader("conflicting Content-Length fields");
        this.contentLength = n;
        this.lengthBytes += bytes;
        return;
      }
      case K_TRANSFER_ENCODING:
        this.transferEncoding = true;
        this.chunkedLast = lastListTokenIs(value, "chunked");
        this.codingBytes += bytes;
        return;
      case K_HOP:
        // only Connection can say close; Keep-Alive parameters are dropped with it
        if (value.length >= 5 && hasListToken(value, "close")) this.connectionClose = true;
        this.hop = true;
        return;
      case K_DATE:
        this.hasDate = true;
        break;
      default:
        this.hasServer = true;
    }
    this.plainBytes += bytes;
  }
}

function putField(buf: Buffer, name: string, value: string, at: number): number {
  at = writeLatin1(buf, name, at);
  buf[at++] = 0x3a;
  buf[at++] = 0x20;
  at = writeLatin1(buf, value, at);
  buf[at++] = 0x0d;
  buf[at++] = 0x0a;
  return at;
}

/**
 * Writes the scanned fields at `at`, leaving out Connection and Keep-Alive (always),
 * Content-Length (when `keepLength` is false) and Transfer-Encoding (when `keepCoding`
 * is false). Returns the offset after the last one.
 */
export function writeFields(buf: Buffer, at: number, facts: FieldFacts, keepLength: boolean, keepCoding: boolean): number {
  const map = facts.map;
  if (map !== undefined) {
    // nothing to leave out (a proxied response: hop-by-hop fields already gone, framing kept):
    // fields received one after the other are copied in one go
    if (!facts.hop && (keepLength || facts.lengthBytes === 0) && (keepCoding || facts.codingBytes === 0)) return map.writeInto(buf, at);
    return map.writeInto(buf, at, keepLength ? (keepCoding ? SKIP_HOP : SKIP_HOP_CODING) : keepCoding ? SKIP_HOP_LENGTH : SKIP_HOP_LENGTH_CODING);
  }
  const { names, values, kinds, lines, count } = facts;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    if (kind === K_HOP || (kind === K_CONTENT_LENGTH && !keepLength) || (kind === K_TRANSFER_ENCODING && !keepCoding)) continue;
    const line = lines[i];
    at = line !== undefined ? copyBytes(buf, line, at) : putField(buf, names[i]!, values[i]!, at);
  }
  return at;
}

/** Encoded size of every field of `fields` (validating plain-object ones): trailers, 1xx heads. */
export function allFieldBytes(fields: ResponseHeaderInit): number {
  if (fields instanceof HeaderMap) return fields.encodedLength();
  let total = 0;
  for (const name in fields) {
    const raw = fields[name];
    if (raw === undefined) continue;
    kindOfObjectName(name);
    if (typeof raw === "string") {
      checkValue(name, raw);
      total += name.length + raw.length + 4;
    } else if (typeof raw === "number") {
      total += name.length + numberValue(name, raw).length + 4;
    } else {
      for (const value of raw) {
        checkValue(name, value);
        total += name.length + value.length + 4;
      }
    }
  }
  return total;
}

/** Writes every field of `fields`; returns the offset after them. */
export function writeAllFields(buf: Buffer, at: number, fields: ResponseHeaderInit): number {
  if (fields instanceof HeaderMap) return fields.writeInto(buf, at);
  for (const name in fields) {
    const raw = fields[name];
    if (raw === undefined) continue;
    if (typeof raw === "string") at = putField(buf, name, raw, at);
    else if (typeof raw === "number") at = putField(buf, name, String(raw), at);
    else for (const value of raw) at = putField(buf, name, value, at);
  }
  return at;
}
