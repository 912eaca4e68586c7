import { HeaderKeySet, HeaderMap, RequestHeader, ResponseHeader } from "@zp/http";
import { compare } from "../lib/compare.js";

// The 15 fields Chrome sends with a page load over HTTP/1.1, as a parser hands them over.
const browser: [string, string][] = [
  ["Host", "www.example.com"],
  ["Connection", "keep-alive"],
  ["Cache-Control", "max-age=0"],
  ["sec-ch-ua", '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'],
  ["sec-ch-ua-mobile", "?0"],
  ["sec-ch-ua-platform", '"Linux"'],
  ["Upgrade-Insecure-Requests", "1"],
  ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"],
  ["Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"],
  ["Sec-Fetch-Site", "none"],
  ["Sec-Fetch-Mode", "navigate"],
  ["Sec-Fetch-User", "?1"],
  ["Sec-Fetch-Dest", "document"],
  ["Accept-Encoding", "gzip, deflate, br, zstd"],
  ["Accept-Language", "en-GB,en;q=0.9,de;q=0.8"],
];
// What a proxy looks up on every request.
const lookups = ["host", "connection", "content-length", "transfer-encoding", "accept-encoding"];

const ourMap = new HeaderMap();
for (const [n, v] of browser) ourMap.append(n, v);
const whatwg = new Headers();
for (const [n, v] of browser) whatwg.append(n, v);
const plainMap = new Map<string, string>();
for (const [n, v] of browser) plainMap.set(n.toLowerCase(), v);
const plainObject: Record<string, string> = Object.create(null);
for (const [n, v] of browser) plainObject[n.toLowerCase()] = v;

let sink: unknown;

const request = RequestHeader.build("GET", "/products/shoes?color=red&size=42");
for (const [n, v] of browser) request.appendHeader(n, v);

const out = Buffer.allocUnsafe(4096);

const responseFields: [string, string][] = [
  ["Date", "Tue, 25 Nov 2025 10:00:00 GMT"],
  ["Content-Type", "text/html; charset=utf-8"],
  ["Content-Length", "1234"],
  ["Cache-Control", "max-age=60"],
  ["Server", "zingora"],
];
const response = ResponseHeader.build(200);
for (const [n, v] of responseFields) response.appendHeader(n, v);

function templateHead(method: string, uri: string, fields: [string, string][]): Buffer {
  let head = `${method} ${uri} HTTP/1.1\r\n`;
  for (const [n, v] of fields) head += `${n}: ${v}\r\n`;
  return Buffer.from(`${head}\r\n`, "latin1");
}

// A proxied response head as a parser leaves it: the bytes and the field offsets.
const upstreamHead = Buffer.from(
  "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Tue, 25 Nov 2025 10:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\n",
  "latin1",
);
const upstreamOffsets: number[] = [];
for (let at = upstreamHead.indexOf("\r\n") + 2; upstreamHead[at] !== 0x0d; at = upstreamHead.indexOf("\r\n", at) + 2) {
  const colon = upstreamHead.indexOf(":", at);
  upstreamOffsets.push(at, colon, colon + 2, upstreamHead.indexOf("\r\n", at));
}
const upstreamCount = upstreamOffsets.length / 4;
/** A latin1 string of the head's bytes (Buffer's own fast path, left out of its typings). */
const headText = (start: number, end: number): string => (upstreamHead as Buffer & { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);
const HOP = ["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"];
const HOP_SET = new HeaderKeySet(HOP);

/** What a proxy does with a response head: look for hop-by-hop fields, drop Connection, write the rest. */
function forwardHead(h: HeaderMap): number {
  if ((h.presentKeys(HOP_SET) & 1) !== 0) h.remove("connection");
  return h.writeInto(out, 0);
}

await compare("http", [
  {
    name: "forward a parsed response head (5 fields: check hop-by-hop, drop Connection, write)",
    ours: {
      name: "@zp/http HeaderMap.fromWire (bytes kept)",
      fn: () => forwardHead(HeaderMap.fromWire(upstreamHead, upstreamOffsets, upstreamCount)),
    },
    theirs: [
      {
        name: "@zp/http HeaderMap of strings",
        fn: () => {
          const h = new HeaderMap();
          for (let i = 0; i < upstreamCount; i++) {
            const o = 4 * i;
            h.appendUnchecked(headText(upstreamOffsets[o]!, upstreamOffsets[o + 1]!), headText(upstreamOffsets[o + 2]!, upstreamOffsets[o + 3]!));
          }
          return forwardHead(h);
        },
      },
      {
        name: "Map + toLowerCase, string head",
        fn: () => {
          const h = new Map<string, [string, string]>();
          for (let i = 0; i < upstreamCount; i++) {
            const o = 4 * i;
            const name = headText(upstreamOffsets[o]!, upstreamOffsets[o + 1]!);
            h.set(name.toLowerCase(), [name, headText(upstreamOffsets[o + 2]!, upstreamOffsets[o + 3]!)]);
          }
          for (const key of HOP) h.delete(key);
          let text = "";
          for (const [name, value] of h.values()) text += `${name}: ${value}\r\n`;
          return out.write(text, 0, "latin1");
        },
      },
    ],
  },
  {
    name: "build 15 headers (validated)",
    ours: {
      name: "@zp/http HeaderMap.append",
      fn: () => {
        const h = new HeaderMap();
        for (let i = 0; i < browser.length; i++) h.append(browser[i]![0], browser[i]![1]);
        return h;
      },
    },
    theirs: [
      {
        name: "Headers (WHATWG)",
        fn: () => {
          const h = new Headers();
          for (let i = 0; i < browser.length; i++) h.append(browser[i]![0], browser[i]![1]);
          return h;
        },
      },
    ],
  },
  {
    name: "build 15 headers (parser output)",
    ours: {
      name: "@zp/http appendUnchecked",
      fn: () => {
        const h = new HeaderMap();
        for (let i = 0; i < browser.length; i++) h.appendUnchecked(browser[i]![0], browser[i]![1]);
        return h;
      },
    },
    theirs: [
      {
        name: "Map + toLowerCase",
        fn: () => {
          const h = new Map<string, string>();
          for (let i = 0; i < browser.length; i++) h.set(browser[i]![0].toLowerCase(), browser[i]![1]);
          return h;
        },
      },
      {
        name: "object + toLowerCase",
        fn: () => {
          const h: Record<string, string> = {};
          for (let i = 0; i < browser.length; i++) h[browser[i]![0].toLowerCase()] = browser[i]![1];
          return h;
        },
      },
    ],
  },
  {
    name: "5 lookups (3 hit, 2 miss)",
    ours: {
      name: "@zp/http get",
      fn: () => {
        for (let i = 0; i < lookups.length; i++) sink = ourMap.get(lookups[i]!);
      },
    },
    theirs: [
      {
        name: "Headers (WHATWG)",
        fn: () => {
          for (let i = 0; i < lookups.length; i++) sink = whatwg.get(lookups[i]!);
        },
      },
      {
        name: "Map + toLowerCase",
        fn: () => {
          for (let i = 0; i < lookups.length; i++) sink = plainMap.get(lookups[i]!.toLowerCase());
        },
      },
      {
        name: "Map (keys known lowercase)",
        fn: () => {
          for (let i = 0; i < lookups.length; i++) sink = plainMap.get(lookups[i]!);
        },
      },
      {
        name: "object (keys known lowercase)",
        fn: () => {
          for (let i = 0; i < lookups.length; i++) sink = plainObject[lookups[i]!];
        },
      },
    ],
  },
  {
    name: "build 15 (validated) + 5 lookups",
    ours: {
      name: "@zp/http HeaderMap",
      fn: () => {
        const h = new HeaderMap();
        for (let i = 0; i < browser.length; i++) h.append(browser[i]![0], browser[i]![1]);
        for (let i = 0; i < lookups.length; i++) sink = h.get(lookups[i]!);
      },
    },
    theirs: [
      {
        name: "Headers (WHATWG)",
        fn: () => {
          const h = new Headers();
          for (let i = 0; i < browser.length; i++) h.append(browser[i]![0], browser[i]![1]);
          for (let i = 0; i < lookups.length; i++) sink = h.get(lookups[i]!);
        },
      },
    ],
  },
  {
    name: "build 15 (parser output) + 5 lookups",
    ours: {
      name: "@zp/http HeaderMap",
      fn: () => {
        const h = new HeaderMap();
        for (let i = 0; i < browser.length; i++) h.appendUnchecked(browser[i]![0], browser[i]![1]);
        for (let i = 0; i < lookups.length; i++) sink = h.get(lookups[i]!);
      },
    },
    theirs: [
      {
        name: "Map + toLowerCase",
        fn: () => {
          const h = new Map<string, string>();
          for (let i = 0; i < browser.length; i++) h.set(browser[i]![0].toLowerCase(), browser[i]![1]);
          for (let i = 0; i < lookups.length; i++) sink = h.get(lookups[i]!.toLowerCase());
        },
      },
    ],
  },
  {
    name: "serialise request head (15 headers)",
    ours: { name: "@zp/http toBuffer", fn: () => request.toBuffer() },
    theirs: [
      {
        name: "template string + Buffer.from",
        fn: () => templateHead(request.method, request.uri, browser),
      },
    ],
  },
  {
    name: "serialise request head into a reused buffer",
    ours: { name: "@zp/http writeInto", fn: () => request.writeInto(out, 0) },
    theirs: [
      {
        name: "template string + buf.latin1 write",
        fn: () => {
          let head = `${request.method} ${request.uri} HTTP/1.1\r\n`;
          for (const [n, v] of browser) head += `${n}: ${v}\r\n`;
          return out.write(`${head}\r\n`, 0, "latin1");
        },
      },
    ],
  },
  {
    name: "serialise response head (5 headers)",
    ours: { name: "@zp/http toBuffer", fn: () => response.toBuffer() },
    theirs: [
      {
        name: "template string + Buffer.from",
        fn: () => {
          let head = `HTTP/1.1 ${response.status} ${response.reason}\r\n`;
          for (const [n, v] of responseFields) head += `${n}: ${v}\r\n`;
          return Buffer.from(`${head}\r\n`, "latin1");
        },
      },
    ],
  },
]);

void sink;
