import { describe, expect, it } from "vitest";
import { BodyKind, ParseErrorCode as E, type ParseErrorCode } from "../src/index.js";
import { collect } from "./helpers/collect.js";

// Known request-smuggling (desync) payloads. Each either is rejected with a given code,
// or is accepted with exactly the given messages (body framing and body bytes). A proxy
// that frames a message differently from the server behind it lets an attacker hide a
// request inside another one, so every ambiguous framing must be refused.

interface Accept {
  /** Per message: how the body is framed and the body bytes. */
  messages: { kind: number; body: string }[];
}
interface Case {
  name: string;
  input: string;
  mode?: "request" | "response";
  expect: ParseErrorCode | Accept;
}

const H = "POST / HTTP/1.1\r\nHost: a\r\n";
const GET = "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n";

const cases: Case[] = [
  // CL.TE and TE.CL: both framings present
  { name: "CL.TE", input: `${H}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG`, expect: E.ContentLengthWithTransferEncoding },
  { name: "TE.CL", input: `${H}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n`, expect: E.ContentLengthWithTransferEncoding },
  { name: "CL.TE with identity", input: `${H}Content-Length: 5\r\nTransfer-Encoding: identity\r\n\r\nhello`, expect: E.ContentLengthWithTransferEncoding },
  { name: "TE.CL in a response", mode: "response", input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", expect: E.ContentLengthWithTransferEncoding },
  // TE.TE obfuscations
  { name: "TE: xchunked", input: `${H}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "TE: chunkedx", input: `${H}Transfer-Encoding: chunkedx\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "TE: chunked, identity", input: `${H}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "TE: chunked then TE: identity", input: `${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "TE twice: chunked, chunked", input: `${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "TE: chunked,", input: `${H}Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "TE: identity alone", input: `${H}Transfer-Encoding: identity\r\n\r\nabc`, expect: E.InvalidTransferEncoding },
  { name: "TE: chunked with trailing tab", input: `${H}Transfer-Encoding: chunked\t\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "TE: chunked with vertical tab", input: `${H}Transfer-Encoding: chunked\x0b\r\n\r\n0\r\n\r\n`, expect: E.InvalidHeaderValue },
  { name: "TE: chunked with form feed", input: `${H}Transfer-Encoding:\x0cchunked\r\n\r\n0\r\n\r\n`, expect: E.InvalidHeaderValue },
  { name: "TE: quoted chunked", input: `${H}Transfer-Encoding: "chunked"\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "TE: chunked-false", input: `${H}Transfer-Encoding: chunked-false\r\n\r\n0\r\n\r\n`, expect: E.InvalidTransferEncoding },
  { name: "space before colon in TE", input: `${H}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n`, expect: E.InvalidHeaderToken },
  { name: "tab before colon in TE", input: `${H}Transfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n`, expect: E.InvalidHeaderToken },
  { name: "vertical tab in a field name", input: `${H}Transfer-Encoding\x0b: chunked\r\n\r\n0\r\n\r\n`, expect: E.InvalidHeaderToken },
  { name: "form feed in a field name", input: `${H}X\x0cY: 1\r\n\r\n`, expect: E.InvalidHeaderToken },
  { name: "space inside a field name", input: `${H}Transfer Encoding: chunked\r\n\r\n0\r\n\r\n`, expect: E.InvalidHeaderToken },
  { name: "field name with leading space (obs-fold)", input: `${H} Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, expect: E.ObsFold },
  { name: "obs-fold continuing TE", input: `${H}Transfer-Encoding: x\r\n chunked\r\n\r\n0\r\n\r\n`, expect: E.ObsFold },
  { name: "obs-fold with tab", input: `${H}X: a\r\n\tb\r\n\r\n`, expect: E.ObsFold },
  { name: "empty field name", input: `${H}: chunked\r\n\r\n`, expect: E.InvalidHeaderToken },
  { name: "NUL in a field value", input: `${H}X: a\x00b\r\n\r\n`, expect: E.InvalidHeaderValue },
  // Content-Length games
  { name: "CL: duplicate, different", input: `${H}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`, expect: E.DuplicateContentLength },
  { name: "CL: duplicate, same", input: `${H}Content-Length: 2\r\nContent-Length: 2\r\n\r\nab`, expect: E.DuplicateContentLength },
  { name: "CL: list 2, 2", input: `${H}Content-Length: 2, 2\r\n\r\nab`, expect: E.InvalidContentLength },
  { name: "CL: negative", input: `${H}Content-Length: -1\r\n\r\n`, expect: E.InvalidContentLength },
  { name: "CL: plus sign", input: `${H}Content-Length: +2\r\n\r\nab`, expect: E.InvalidContentLength },
  { name: "CL: hex", input: `${H}Content-Length: 0x2\r\n\r\nab`, expect: E.InvalidContentLength },
  { name: "CL: space inside", input: `${H}Content-Length: 1 2\r\n\r\n`, expect: E.InvalidContentLength },
  { name: "CL: empty", input: `${H}Content-Length:\r\n\r\n`, expect: E.InvalidContentLength },
  { name: "CL: trailing tab", input: `${H}Content-Length: 2\t\r\n\r\nab`, expect: E.InvalidContentLength },
  { name: "CL: overflow", input: `${H}Content-Length: 99999999999999999999\r\n\r\n`, expect: E.ContentLengthOverflow },
  { name: "space before colon in CL", input: `${H}Content-Length : 2\r\n\r\nab`, expect: E.InvalidHeaderToken },
  // line endings
  { name: "bare LF line ends", input: "POST / HTTP/1.1\nHost: a\nContent-Length: 2\n\nab", expect: E.BareLf },
  { name: "bare LF after a field", input: `${H}X: 1\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, expect: E.BareLf },
  { name: "bare CR between fields", input: `${H}X: 1\rTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, expect: E.BareCr },
  { name: "CR then junk ending the head", input: `${H}\rX\r\n`, expect: E.BareCr },
  // chunked body games
  { name: "chunk size overflow", input: `${H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n`, expect: E.ChunkSizeOverflow },
  { name: "negative chunk size", input: `${H}Transfer-Encoding: chunked\r\n\r\n-1\r\n`, expect: E.InvalidChunkSize },
  { name: "0x-prefixed chunk size", input: `${H}Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n`, expect: E.InvalidChunkSize },
  { name: "space after chunk size", input: `${H}Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n`, expect: E.InvalidChunkSize },
  { name: "bare LF after chunk size", input: `${H}Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n`, expect: E.BareLf },
  { name: "chunk data longer than its size", input: `${H}Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n`, expect: E.InvalidChunkData },
  { name: "chunk data ended by bare LF", input: `${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n`, expect: E.InvalidChunkData },
  { name: "bare CR in chunk extension", input: `${H}Transfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n`, expect: E.BareCr },
  { name: "LF in quoted chunk extension", input: `${H}Transfer-Encoding: chunked\r\n\r\n5;a="x\ny"\r\nhello\r\n0\r\n\r\n`, expect: E.InvalidChunkExtension },
  // what is accepted, and exactly how it is framed
  {
    name: "TE: gzip, chunked (chunked last)",
    input: `${H}Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n${GET}`,
    expect: { messages: [{ kind: BodyKind.Chunked, body: "abc" }, { kind: BodyKind.None, body: "" }] },
  },
  {
    name: "TE: CHUNKED (case-insensitive)",
    input: `${H}Transfer-Encoding: CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n`,
    expect: { messages: [{ kind: BodyKind.Chunked, body: "abc" }] },
  },
  {
    name: "CL with leading zeros",
    input: `${H}Content-Length: 003\r\n\r\nabc${GET}`,
    expect: { messages: [{ kind: BodyKind.Length, body: "abc" }, { kind: BodyKind.None, body: "" }] },
  },
  {
    name: "GET with CL carries a body",
    input: `GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nGET /${GET}`,
    expect: { messages: [{ kind: BodyKind.Length, body: "GET /" }, { kind: BodyKind.None, body: "" }] },
  },
  {
    name: "pipelined requests in one chunk",
    input: `${H}Content-Length: 2\r\n\r\nab${GET}${GET}`,
    expect: { messages: [{ kind: BodyKind.Length, body: "ab" }, { kind: BodyKind.None, body: "" }, { kind: BodyKind.None, body: "" }] },
  },
  {
    name: "chunk extensions and trailers",
    input: `${H}Transfer-Encoding: chunked\r\n\r\n3;name="v;\\"x";b=c\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n`,
    expect: { messages: [{ kind: BodyKind.Chunked, body: "abc" }] },
  },
  {
    name: "response: TE not ending in chunked reads until close",
    mode: "response",
    input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
    expect: { messages: [{ kind: BodyKind.UntilClose, body: "0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n" }] },
  },
  {
    name: "data after Connection: close",
    input: `GET / HTTP/1.1\r\nConnection: close\r\n\r\n${GET}`,
    expect: E.DataAfterClose,
  },
];

describe("request smuggling payloads", () => {
  it("has at least 40 payloads", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of cases) {
    it(c.name, () => {
      const input = Buffer.from(c.input, "latin1");
      for (const split of ["whole", "bytes"] as const) {
        const r = collect(c.mode ?? "request", input, split, { finish: true });
        if (typeof c.expect === "string") {
          expect(r.error?.code ?? "accepted").toBe(c.expect);
        } else {
          expect(r.error).toBeNull();
          expect(r.messages.map((m) => ({ kind: m.bodyKind, body: m.body }))).toEqual(c.expect.messages);
          expect(r.messages.every((m) => m.complete)).toBe(true);
        }
      }
    });
  }
});
