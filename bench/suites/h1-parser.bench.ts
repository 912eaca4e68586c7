import { createRequire } from "node:module";
import { H1Parser, type H1Head } from "@zp/h1-parser";
import { compare, printTable } from "../lib/compare.js";

// Parse throughput of @zp/h1-parser beside Node's own llhttp (through the HTTPParser
// binding node:http uses) and http-parser-js. Every contender reuses one parser per
// "connection" as Node's server does, and delivers the same facts per message:
// - llhttp and http-parser-js: method, url and every header name and value as strings
//   (that is what their callbacks hand over), body pieces as Buffers;
// - @zp/h1-parser: method and url as strings, header names and values as offsets into
//   the input (Int32Array), body pieces as (buffer, start, end). The "+ strings" rows
//   also turn every header name and value into a string, like the others.

const require = createRequire(import.meta.url);

interface NodeHTTPParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(buf: Buffer): number | Error;
  [key: number]: unknown;
}
interface NodeHTTPParserClass {
  new (): NodeHTTPParser;
  REQUEST: number;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
}
const { HTTPParser: LLHTTP } = require("_http_common") as { HTTPParser: NodeHTTPParserClass };

interface JsParser {
  execute(buf: Buffer, start?: number, len?: number): number | Error;
  [key: string]: unknown;
}
interface JsParserClass {
  new (type: string): JsParser;
  REQUEST: string;
  RESPONSE: string;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}
const { HTTPParser: JSPARSER } = require("http-parser-js") as { HTTPParser: JsParserClass };

// ---------------------------------------------------------------- inputs

const minimalGet = Buffer.from("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", "latin1");

const browserGet = Buffer.from(
  [
    "GET /assets/app/main.7f3a9c.js?v=20240611&lang=en-GB HTTP/1.1",
    "Host: www.example.com",
    "Connection: keep-alive",
    'sec-ch-ua: "Chromium";v="125", "Not.A/Brand";v="24", "Google Chrome";v="125"',
    "sec-ch-ua-mobile: ?0",
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
    'sec-ch-ua-platform: "Linux"',
    "Accept: */*",
    "Sec-Fetch-Site: same-origin",
    "Sec-Fetch-Mode: no-cors",
    "Sec-Fetch-Dest: script",
    "Referer: https://www.example.com/products/shoes/running?color=blue&size=42",
    "Accept-Encoding: gzip, deflate, br, zstd",
    "Accept-Language: en-GB,en;q=0.9,de;q=0.8",
    "Cookie: session=4f1c2a9e8b7d6c5f4e3d2c1b0a998877; theme=dark; consent=yes",
    "If-None-Match: \"5d8c72a5edda8d6a\"",
    "",
    "",
  ].join("\r\n"),
  "latin1",
);

const pipeline = Buffer.concat(Array.from({ length: 10 }, (_, i) => Buffer.from(`GET /item/${i} HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n`, "latin1")));

const chunkPayload = "x".repeat(256);
const chunkedResponse = Buffer.from(
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" +
    Array.from({ length: 16 }, () => `100\r\n${chunkPayload}\r\n`).join("") +
    "0\r\n\r\n",
  "latin1",
);

// ---------------------------------------------------------------- contenders

/** What every contender records, so nothing is optimised away. */
const sink = { messages: 0, headers: 0, bodyBytes: 0, last: "" };

function ours(mode: "request" | "response", strings: boolean): (buf: Buffer) => void {
  const parser = new H1Parser(mode, {
    onHeaders(head: H1Head) {
      sink.messages++;
      sink.last = head.isRequest ? head.method + head.url : "";
      const n = head.headerCount;
      sink.headers += n;
      if (strings) {
        const f = head.fields;
        for (let i = 0; i < n; i++) sink.last = f.name(i) + f.value(i);
      }
    },
    onBody(_buf, start, end) {
      sink.bodyBytes += end - start;
    },
    onMessageComplete() {},
  });
  return (buf) => {
    parser.execute(buf, 0, buf.length);
  };
}

function llhttp(type: "REQUEST" | "RESPONSE"): (buf: Buffer) => void {
  const parser = new LLHTTP();
  parser.initialize(LLHTTP[type], {}, 0, 0);
  parser[LLHTTP.kOnHeaders] = (headers: string[]) => {
    sink.headers += headers.length >> 1;
  };
  parser[LLHTTP.kOnHeadersComplete] = (_maj: number, _min: number, headers: string[], method: number, url: string) => {
    sink.messages++;
    sink.headers += headers.length >> 1;
    sink.last = url ?? String(method);
  };
  parser[LLHTTP.kOnBody] = (b: Buffer) => {
    sink.bodyBytes += b.length;
  };
  parser[LLHTTP.kOnMessageComplete] = () => {};
  parser[LLHTTP.kOnExecute] = () => {};
  return (buf) => {
    const r = parser.execute(buf);
    if (r instanceof Error) throw r;
  };
}

function httpParserJs(type: "REQUEST" | "RESPONSE"): (buf: Buffer) => void {
  const parser = new JSPARSER(JSPARSER[type]);
  parser[JSPARSER.kOnHeadersComplete] = (info: { headers: string[]; url: string; method: number }) => {
    sink.messages++;
    sink.headers += info.headers.length >> 1;
    sink.last = info.url ?? String(info.method);
  };
  parser[JSPARSER.kOnBody] = (b: Buffer, start: number, len: number) => {
    sink.bodyBytes += len + (b.length & 0) + (start & 0);
  };
  parser[JSPARSER.kOnMessageComplete] = () => {};
  return (buf) => {
    const r = parser.execute(buf, 0, buf.length);
    if (r instanceof Error) throw r;
  };
}

// ---------------------------------------------------------------- cases

interface Row {
  name: string;
  input: Buffer;
  messages: number;
  mode: "request" | "response";
}

const rows: Row[] = [
  { name: "minimal GET", input: minimalGet, messages: 1, mode: "request" },
  { name: `browser GET (${browserGet.length} B, 15 headers)`, input: browserGet, messages: 1, mode: "request" },
  { name: "10-request pipeline", input: pipeline, messages: 10, mode: "request" },
  { name: "chunked response, 16 chunks", input: chunkedResponse, messages: 1, mode: "response" },
];

const results = await compare(
  "h1-parser",
  rows.flatMap((r) => {
    const type = r.mode === "request" ? "REQUEST" : "RESPONSE";
    const a = ours(r.mode, false);
    const b = ours(r.mode, true);
    const c = llhttp(type);
    const d = httpParserJs(type);
    return [
      {
        name: r.name,
        ours: { name: "@zp/h1-parser", fn: () => a(r.input) },
        theirs: [
          { name: "llhttp (node)", fn: () => c(r.input) },
          { name: "http-parser-js", fn: () => d(r.input) },
        ],
      },
      {
        name: `${r.name} + strings`,
        ours: { name: "@zp/h1-parser", fn: () => b(r.input) },
        theirs: [{ name: "llhttp (node)", fn: () => c(r.input) }],
      },
    ];
  }),
);

// Throughput in messages/s and MB/s for every measurement above.
const table: string[][] = [["case", "contender", "messages/s", "MB/s"]];
for (const m of results) {
  const row = rows.find((r) => m.case.startsWith(r.name))!;
  table.push([m.case, m.name, `${((m.opsPerSec * row.messages) / 1e6).toFixed(2)}M`, ((m.opsPerSec * row.input.length) / 1e6).toFixed(0)]);
}
printTable("h1-parser throughput", table);
if (sink.messages === 0) throw new Error("nothing was parsed");
