import { createRequire } from "node:module";
import type { Collected, CollectedMessage } from "./collect.js";

// Node's own HTTP/1 parser (llhttp) through the binding node:http uses, set up strict
// (no lenient flags) the way node's server and client initialise it.

interface NodeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(buf: Buffer): number | Error;
  finish(): number | Error | undefined;
  close(): void;
  [key: number]: unknown;
}
interface NodeParserClass {
  new (): NodeParser;
  REQUEST: number;
  RESPONSE: number;
  kLenientNone: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
}

const require = createRequire(import.meta.url);
// biome-ignore lint/style/useNodejsImportProtocol: Node internal module, not reachable via node:
const common = require("_http_common") as { HTTPParser: NodeParserClass; methods: string[] };
const { HTTPParser, methods } = common;

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** What llhttp reports for `input`: messages, whether it failed, where a tunnel starts. */
export interface OracleResult extends Omit<Collected, "error"> {
  error: string | null;
}

/** Parses `input` with Node's llhttp in strict mode. `finish` signals EOF afterwards. */
export function llhttpParse(mode: "request" | "response", input: Uint8Array, finish: boolean): OracleResult {
  const parser = new HTTPParser();
  parser.initialize(mode === "request" ? HTTPParser.REQUEST : HTTPParser.RESPONSE, {}, 0, HTTPParser.kLenientNone);
  const messages: CollectedMessage[] = [];
  let cur: CollectedMessage | null = null;
  // Node hands over fields through kOnHeaders when it flushes early (trailers, and the
  // head after them); kOnHeadersComplete then gets no headers array.
  // The request-target goes the same way (kOnHeaders' second argument).
  let pending: [string, string][] = [];
  let pendingUrl = "";
  parser[HTTPParser.kOnHeaders] = (headers: string[], url: string | undefined) => {
    pending.push(...pairs(headers));
    if (url !== undefined) pendingUrl += url;
  };
  parser[HTTPParser.kOnHeadersComplete] = (
    versionMajor: number,
    versionMinor: number,
    headers: string[] | undefined,
    method: number | undefined,
    url: string | undefined,
    status: number | undefined,
    _statusMessage: string | undefined,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ) => {
    cur = {
      method: mode === "request" ? methods[method!]! : "",
      url: url ?? pendingUrl,
      status: status ?? 0,
      versionMajor,
      versionMinor,
      headers: headers ? pairs(headers) : pending,
      trailers: [],
      body: "",
      complete: false,
      shouldKeepAlive,
      upgrade,
      bodyKind: -1,
    };
    pending = [];
    pendingUrl = "";
    messages.push(cur);
    return 0;
  };
  parser[HTTPParser.kOnBody] = (b: Buffer) => {
    cur!.body += b.toString("latin1");
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    if (cur) {
      cur.complete = true;
      cur.trailers = pending;
    }
    pending = [];
    pendingUrl = ""; // a trailer flush repeats the finished message's target
  };
  parser[HTTPParser.kOnExecute] = () => {};
  let error: string | null = null;
  let upgradeOffset = -1;
  const r = parser.execute(Buffer.from(input));
  if (r instanceof Error) error = (r as Error & { code?: string }).code ?? r.message;
  else if (messages.length > 0 && messages[messages.length - 1]!.upgrade && messages[messages.length - 1]!.complete) upgradeOffset = r;
  if (error === null && upgradeOffset < 0 && finish) {
    const f = parser.finish();
    if (f instanceof Error) error = (f as Error & { code?: string }).code ?? f.message;
  }
  parser.close();
  return { messages, error, upgradeOffset };
}
