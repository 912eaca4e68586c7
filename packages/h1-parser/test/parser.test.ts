import { describe, expect, it } from "vitest";
import { BodyKind, H1Parser, ParseError, ParseErrorCode as E } from "../src/index.js";
import { collect } from "./helpers/collect.js";

const b = (s: string) => Buffer.from(s, "latin1");

function codeOf(mode: "request" | "response", input: string, options = {}): string | null {
  return collect(mode, b(input), "whole", { finish: true, ...options }).error?.code ?? null;
}

describe("limits", () => {
  it("rejects a head over maxHeaderBytes, whatever the split", () => {
    const input = b(`GET / HTTP/1.1\r\nX: ${"a".repeat(200)}\r\n\r\n`);
    for (const split of ["whole", "bytes", [10, 100]] as const) {
      const r = collect("request", input, split, { maxHeaderBytes: 100 });
      expect(r.error?.code).toBe(E.HeadersTooLarge);
      expect(r.error?.offset).toBe(100);
    }
    expect(collect("request", input, "bytes", { maxHeaderBytes: input.length }).error).toBeNull();
  });

  it("rejects more than maxHeaders fields", () => {
    const head = `GET / HTTP/1.1\r\n${"X: 1\r\n".repeat(3)}\r\n`;
    expect(codeOf("request", head, { maxHeaders: 2 })).toBe(E.TooManyHeaders);
    expect(codeOf("request", head, { maxHeaders: 3 })).toBeNull();
  });

  it("rejects a request-target over maxUrlLength", () => {
    expect(codeOf("request", `GET /${"a".repeat(20)} HTTP/1.1\r\n\r\n`, { maxUrlLength: 20 })).toBe(E.UrlTooLong);
    expect(codeOf("request", `GET /${"a".repeat(19)} HTTP/1.1\r\n\r\n`, { maxUrlLength: 20 })).toBeNull();
  });

  it("rejects chunk extensions over maxChunkExtensionBytes", () => {
    const msg = (ext: string) => `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;${ext}\r\na\r\n0\r\n\r\n`;
    expect(codeOf("request", msg("a".repeat(10)), { maxChunkExtensionBytes: 10 })).toBe(E.ChunkExtensionTooLong);
    expect(codeOf("request", msg("a".repeat(9)), { maxChunkExtensionBytes: 10 })).toBeNull();
  });

  it("rejects trailers over maxTrailerBytes and maxTrailers", () => {
    const msg = (t: string) => `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n${t}\r\n`;
    expect(codeOf("request", msg(`X: ${"a".repeat(50)}\r\n`), { maxTrailerBytes: 40 })).toBe(E.TrailersTooLarge);
    expect(codeOf("request", msg("A: 1\r\nB: 2\r\n"), { maxTrailers: 1 })).toBe(E.TooManyTrailers);
    expect(codeOf("request", msg("A: 1\r\nB: 2\r\n"), { maxTrailers: 2 })).toBeNull();
  });

  it("validates its options", () => {
    expect(() => new H1Parser("request", {}, { maxHeaders: 0 })).toThrow(RangeError);
    expect(() => new H1Parser("request", {}, { maxHeaderBytes: 1.5 })).toThrow(RangeError);
  });
});

describe("framing and connection semantics", () => {
  it("keeps HTTP/1.1 alive unless close, HTTP/1.0 only with keep-alive", () => {
    const ka = (s: string) => collect("request", b(s)).messages[0]!.shouldKeepAlive;
    expect(ka("GET / HTTP/1.1\r\n\r\n")).toBe(true);
    expect(ka("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).toBe(false);
    expect(ka("GET / HTTP/1.0\r\n\r\n")).toBe(false);
    expect(ka("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")).toBe(true);
  });

  it("detects Expect: 100-continue", () => {
    let seen = false;
    new H1Parser("request", { onHeaders: (h) => void (seen = h.expectContinue) }).execute(
      b("PUT / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n"),
    );
    expect(seen).toBe(true);
  });

  it("stops at the first tunnelled byte on CONNECT and Upgrade", () => {
    const connect = b("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01");
    const p = new H1Parser("request");
    expect(p.execute(connect)).toBe(connect.length - 3);
    expect(p.isUpgraded).toBe(true);
    expect(() => p.execute(connect)).toThrow(ParseError);
    const ws = b("GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00");
    const q = new H1Parser("request");
    expect(q.execute(ws)).toBe(ws.length - 2);
  });

  it("has no body for HEAD responses, 1xx, 204 and 304", () => {
    const p = new H1Parser("response", {});
    p.headResponse = true;
    let kinds: number[] = [];
    const h = new H1Parser("response", { onHeaders: (head) => void kinds.push(head.bodyKind) });
    h.headResponse = true;
    h.execute(b("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"));
    h.execute(b("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"));
    expect(kinds).toEqual([BodyKind.None, BodyKind.None, BodyKind.None, BodyKind.None]);
    kinds = [];
    h.execute(b("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    expect(kinds).toEqual([BodyKind.Length]);
    expect(p.isIdle).toBe(true);
  });

  it("keeps headResponse and connectResponse through interim 1xx heads", () => {
    const kinds: number[] = [];
    const p = new H1Parser("response", { onHeaders: (head) => void kinds.push(head.bodyKind) });
    p.headResponse = true;
    p.execute(b("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"));
    expect(kinds).toEqual([BodyKind.None, BodyKind.None]);
    expect(p.isIdle).toBe(true);
    expect(p.headResponse).toBe(false); // cleared by the final head
    kinds.length = 0;
    p.execute(b("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    expect(kinds).toEqual([BodyKind.Length]);
    expect(p.isIdle).toBe(true);

    const c = new H1Parser("response");
    c.connectResponse = true;
    const wire = b("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 Connection established\r\n\r\nTLS");
    expect(c.execute(wire)).toBe(wire.length - 3);
    expect(c.isUpgraded).toBe(true);
  });

  it("starts a tunnel on a 2xx answer to CONNECT when told so", () => {
    const p = new H1Parser("response");
    p.connectResponse = true;
    const wire = b("HTTP/1.1 200 Connection established\r\n\r\nTLS");
    expect(p.execute(wire)).toBe(wire.length - 3);
    expect(p.isUpgraded).toBe(true);
  });

  it("ends a close-delimited response body at finish()", () => {
    const r = collect("response", b("HTTP/1.1 200 OK\r\n\r\nabc"), [21], { finish: true });
    expect(r.messages[0]).toMatchObject({ body: "abc", complete: true, bodyKind: BodyKind.UntilClose, shouldKeepAlive: false });
  });

  it("rejects a message cut short at finish()", () => {
    expect(codeOf("request", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab")).toBe(E.UnexpectedEof);
    expect(codeOf("request", "GET / HT")).toBe(E.UnexpectedEof);
  });

  it("accepts bare LF line ends only with lenientLineEndings", () => {
    const input = "POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n1;a=b\nx\n0\nT: 1\n\n";
    expect(codeOf("request", input)).toBe(E.BareLf);
    const r = collect("request", b(input), "bytes", { lenientLineEndings: true, finish: true });
    expect(r.error).toBeNull();
    expect(r.messages[0]).toMatchObject({ body: "x", trailers: [["T", "1"]], complete: true });
  });
});

describe("zero-copy head", () => {
  it("exposes offsets into the caller's buffer when the head is in one chunk", () => {
    const wire = b("GET /a?b HTTP/1.1\r\nHost:  example.com \r\nX-Id: 7\r\n\r\n");
    let ok = false;
    new H1Parser("request", {
      onHeaders(head) {
        expect(head.buf).toBe(wire);
        expect(head.url).toBe("/a?b");
        const o = head.headerOffsets;
        expect(wire.toString("latin1", o[2], o[3])).toBe("example.com");
        expect(head.fields.nameIs(1, "x-id")).toBe(true);
        expect(Buffer.from(head.fields.valueBytes(1)).toString()).toBe("7");
        expect(head.fields.getAll("HOST")).toEqual(["example.com"]);
        ok = true;
      },
    }).execute(wire);
    expect(ok).toBe(true);
  });

  it("reports stream offsets in errors, independent of the split", () => {
    const input = b("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n");
    const offsets = (["whole", "bytes", [5, 27]] as const).map((s) => collect("request", input, s).error?.offset);
    expect(offsets).toEqual([28, 28, 28]);
  });
});
