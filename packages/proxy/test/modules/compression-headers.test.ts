import { RequestHeader, ResponseHeader } from "@zp/http";
import { describe, expect, it } from "vitest";
import {
  CompressionPolicy,
  ContentTypeMatcher,
  ModuleError,
  addVary,
  prepareHeaders,
  shouldCompress,
  weakenEtag,
} from "../../src/modules/index.js";

/** A request; `acceptEncoding` null sends none. */
function req(method = "GET", acceptEncoding: string | null = "gzip, br"): RequestHeader {
  const r = RequestHeader.build(method, method === "CONNECT" ? "example.com:443" : "/x");
  if (acceptEncoding !== null) r.appendHeader("Accept-Encoding", acceptEncoding);
  return r;
}

function res(status: number, fields: Record<string, string | string[]> = {}): ResponseHeader {
  const r = ResponseHeader.build(status);
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) r.appendHeader(name, v);
  }
  return r;
}

const html = { "Content-Type": "text/html; charset=utf-8" };

describe("shouldCompress", () => {
  const table: [string, RequestHeader, ResponseHeader, boolean][] = [
    ["html of unknown length", req(), res(200, html), true],
    ["json", req(), res(200, { "Content-Type": "application/json" }), true],
    ["problem+json", req(), res(404, { "Content-Type": "application/problem+json" }), true],
    ["atom+xml", req(), res(200, { "Content-Type": "application/atom+xml" }), true],
    ["svg", req(), res(200, { "Content-Type": "image/svg+xml" }), true],
    ["javascript", req(), res(200, { "Content-Type": "application/javascript; charset=utf-8" }), true],
    ["event stream", req(), res(200, { "Content-Type": "text/event-stream" }), true],
    ["type in capitals", req(), res(200, { "Content-Type": "TEXT/HTML" }), true],
    ["server error page", req(), res(500, html), true],
    ["png", req(), res(200, { "Content-Type": "image/png" }), false],
    ["octet-stream", req(), res(200, { "Content-Type": "application/octet-stream" }), false],
    ["no content type", req(), res(200), false],
    ["HEAD", req("HEAD"), res(200, html), false],
    ["CONNECT", req("CONNECT", null), res(200, html), false],
    ["204", req(), res(204, html), false],
    ["304", req(), res(304, html), false],
    ["206", req(), res(206, { ...html, "Content-Range": "bytes 0-99/2000" }), false],
    ["101", req(), res(101, html), false],
    ["103", req(), res(103, html), false],
    ["already encoded", req(), res(200, { ...html, "Content-Encoding": "gzip" }), false],
    ["Content-Range on 200", req(), res(200, { ...html, "Content-Range": "bytes */2000" }), false],
    ["no-transform", req(), res(200, { ...html, "Cache-Control": "public, No-Transform" }), false],
    ["no-transform in a second field", req(), res(200, { ...html, "Cache-Control": ["max-age=60", "no-transform"] }), false],
    ["other cache directives", req(), res(200, { ...html, "Cache-Control": "no-cache, no-store" }), true],
    ["too small", req(), res(200, { ...html, "Content-Length": "1023" }), false],
    ["just big enough", req(), res(200, { ...html, "Content-Length": "1024" }), true],
    ["malformed length", req(), res(200, { ...html, "Content-Length": "12x" }), false],
    ["client without Accept-Encoding (not consulted here)", req("GET", null), res(200, html), true],
    ["client asking for no-transform", req("GET").appendHeader("Cache-Control", "no-transform"), res(200, html), false],
  ];
  it.each(table)("%s", (_name, request, response, expected) => {
    expect(shouldCompress(request, response)).toBe(expected);
  });

  it("honours minSize, maxSize and the type list", () => {
    const policy = new CompressionPolicy({ minSize: 10, maxSize: 100, contentTypes: ["application/x-custom", "+csv"] });
    expect(policy.shouldCompress(req(), res(200, { "Content-Type": "application/x-custom", "Content-Length": "10" }))).toBe(true);
    expect(policy.shouldCompress(req(), res(200, { "Content-Type": "application/x-custom", "Content-Length": "101" }))).toBe(false);
    expect(policy.shouldCompress(req(), res(200, { "Content-Type": "text/vnd.a+csv" }))).toBe(true);
    expect(policy.shouldCompress(req(), res(200, html))).toBe(false);
    expect(shouldCompress(req(), res(200, { "Content-Type": "text/html", "Content-Length": "5" }), { minSize: 0 })).toBe(true);
  });

  it("refuses bad options", () => {
    for (const options of [
      { encodings: ["deflate" as "gzip"] },
      { minSize: -1 },
      { minSize: 10, maxSize: 5 },
      { contentTypes: ["html"] },
      { gzipLevel: 10 },
      { brotliQuality: 12 },
    ]) {
      expect(() => new CompressionPolicy(options), JSON.stringify(options)).toThrow(ModuleError);
    }
  });
});

describe("ContentTypeMatcher", () => {
  it("matches exact types, whole top-level types and suffixes, ignoring case and parameters", () => {
    const m = new ContentTypeMatcher(["text/*", "application/json", "+xml"]);
    expect(m.matches("text/plain")).toBe(true);
    expect(m.matches(" Text/CSV ; charset=utf-8")).toBe(true);
    expect(m.matches("application/json;charset=utf-8")).toBe(true);
    expect(m.matches("application/jsonx")).toBe(false);
    expect(m.matches("application/rss+xml")).toBe(true);
    expect(m.matches("application/xml+zip")).toBe(false);
    expect(m.matches("texty/plain")).toBe(false);
    expect(m.matches("")).toBe(false);
    expect(m.matches("text")).toBe(false);
  });
});

describe("prepareHeaders", () => {
  it("sets the coding, drops the length, ranges and digests, weakens the ETag and adds Vary", () => {
    const response = res(200, {
      ...html,
      "Content-Length": "5000",
      "Accept-Ranges": "bytes",
      ETag: '"v1"',
      "Content-Digest": "sha-256=:abc=:",
      "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT",
    });
    prepareHeaders(response, "br");
    expect([...response.headers]).toEqual([
      ["Content-Type", "text/html; charset=utf-8"],
      ["ETag", 'W/"v1"'],
      ["Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"],
      ["Content-Encoding", "br"],
      ["Vary", "Accept-Encoding"],
    ]);
  });

  it("only adds Vary when not compressing", () => {
    const response = res(200, { ...html, "Content-Length": "5000", ETag: '"v1"' });
    prepareHeaders(response, undefined);
    expect(response.headers.get("content-length")).toBe("5000");
    expect(response.headers.get("etag")).toBe('"v1"');
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    expect(response.headers.has("content-encoding")).toBe(false);
  });
});

describe("CompressionPolicy.apply", () => {
  const policy = new CompressionPolicy();

  it("compresses for a client that accepts it", () => {
    const response = res(200, { ...html, "Content-Length": "4096" });
    expect(policy.apply(req("GET", "gzip"), response)).toBe("gzip");
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.has("content-length")).toBe(false);
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
  });

  it("adds Vary for a compressible response sent as is (no Accept-Encoding, HEAD, identity only)", () => {
    for (const request of [
      req("GET", null),
      req("HEAD"),
      req("GET", "identity"),
      req("GET", "br;q=0, gzip;q=0"),
      req("GET").appendHeader("Cache-Control", "max-age=0, no-transform"),
    ]) {
      const response = res(200, { ...html, "Content-Length": "4096" });
      expect(policy.apply(request, response)).toBe(undefined);
      expect(response.headers.get("vary")).toBe("Accept-Encoding");
      expect(response.headers.get("content-length")).toBe("4096");
    }
  });

  it("leaves responses that could never be compressed alone", () => {
    for (const response of [
      res(200, { "Content-Type": "image/jpeg" }),
      res(200, { ...html, "Content-Length": "10" }),
      res(200, { ...html, "Content-Encoding": "br" }),
      res(304, { ETag: '"v1"' }),
    ]) {
      const before = [...response.headers];
      expect(policy.apply(req(), response)).toBe(undefined);
      expect([...response.headers]).toEqual(before);
    }
  });
});

describe("Vary and ETag", () => {
  const varyCases: [string[], string | undefined][] = [
    [[], "Accept-Encoding"],
    [["Origin"], "Origin, Accept-Encoding"],
    [["Origin", "Cookie"], "Origin, Cookie, Accept-Encoding"],
    [["accept-encoding"], "accept-encoding"],
    [["Origin, Accept-Encoding"], "Origin, Accept-Encoding"],
    [["Origin,ACCEPT-ENCODING"], "Origin,ACCEPT-ENCODING"],
    [["*"], "*"],
    [["Origin, *"], "Origin, *"],
    [["Accept-Encodings"], "Accept-Encodings, Accept-Encoding"],
    [["Origin,"], "Origin, Accept-Encoding"],
    [[",Origin", "Cookie"], "Origin, Cookie, Accept-Encoding"],
  ];
  it.each(varyCases)("Vary %j becomes %j", (existing, expected) => {
    const response = res(200, { Vary: existing });
    addVary(response.headers, "Accept-Encoding");
    expect(response.headers.getAll("vary")).toEqual(expected === undefined ? [] : [expected]);
  });

  const etagCases: [string, string | undefined][] = [
    ['"abc"', 'W/"abc"'],
    ['W/"abc"', 'W/"abc"'],
    ['""', 'W/""'],
    ["abc", undefined],
    ['"abc', undefined],
  ];
  it.each(etagCases)("ETag %s becomes %s", (etag, expected) => {
    const response = res(200, { ETag: etag });
    weakenEtag(response.headers);
    expect(response.headers.get("etag")).toBe(expected);
  });
});
