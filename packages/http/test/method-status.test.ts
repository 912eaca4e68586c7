import { describe, expect, it } from "vitest";
import {
  HttpError,
  Method,
  STATUS_REASONS,
  Version,
  checkMethod,
  checkStatus,
  expectsRequestBody,
  hasNoRequestBody,
  isClientError,
  isIdempotent,
  isInformational,
  isRedirection,
  isSafe,
  isServerError,
  isSuccess,
  isValidMethod,
  parseVersion,
  reasonPhrase,
  statusHasNoBody,
  wireVersion,
} from "../src/index.js";

describe("Method", () => {
  const table: [string, { safe: boolean; idempotent: boolean; noBody: boolean; expectsBody: boolean }][] = [
    ["GET", { safe: true, idempotent: true, noBody: true, expectsBody: false }],
    ["HEAD", { safe: true, idempotent: true, noBody: true, expectsBody: false }],
    ["OPTIONS", { safe: true, idempotent: true, noBody: true, expectsBody: false }],
    ["TRACE", { safe: true, idempotent: true, noBody: true, expectsBody: false }],
    ["PUT", { safe: false, idempotent: true, noBody: false, expectsBody: true }],
    ["DELETE", { safe: false, idempotent: true, noBody: true, expectsBody: false }],
    ["POST", { safe: false, idempotent: false, noBody: false, expectsBody: true }],
    ["PATCH", { safe: false, idempotent: false, noBody: false, expectsBody: true }],
    ["CONNECT", { safe: false, idempotent: false, noBody: true, expectsBody: false }],
    ["PROPFIND", { safe: false, idempotent: false, noBody: false, expectsBody: false }],
  ];

  it.each(table)("classifies %s", (method, want) => {
    expect(isSafe(method)).toBe(want.safe);
    expect(isIdempotent(method)).toBe(want.idempotent);
    expect(hasNoRequestBody(method)).toBe(want.noBody);
    expect(expectsRequestBody(method)).toBe(want.expectsBody);
    expect(isValidMethod(method)).toBe(true);
  });

  it("has constants for the standard methods", () => {
    expect(Object.values(Method).sort()).toEqual(["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"]);
    expect(Method.GET).toBe("GET");
  });

  it("is case-sensitive: lowercase methods are other tokens", () => {
    expect(isSafe("get")).toBe(false);
    expect(isIdempotent("put")).toBe(false);
    expect(isValidMethod("get")).toBe(true);
  });

  it("rejects methods that are not tokens", () => {
    for (const bad of ["", "GE T", "GET\r\n", "G(ET", "GÉT", "GET/"]) {
      expect(isValidMethod(bad)).toBe(false);
      expect(() => checkMethod(bad)).toThrow(HttpError);
    }
    expect(() => checkMethod("A B")).toThrow(expect.objectContaining({ code: "ZP_INVALID_METHOD" }));
    expect(checkMethod("M-SEARCH")).toBe("M-SEARCH");
  });
});

describe("Version", () => {
  it("parses and maps to the wire", () => {
    expect(parseVersion("HTTP/1.1")).toBe(Version.Http11);
    expect(parseVersion("HTTP/1.0")).toBe(Version.Http10);
    expect(parseVersion("HTTP/2.0")).toBe(Version.Http2);
    expect(parseVersion("HTTP/2")).toBe(Version.Http2);
    expect(parseVersion("http/1.1")).toBeUndefined();
    expect(parseVersion("HTTP/3")).toBeUndefined();
    expect(wireVersion("HTTP/2")).toBe("HTTP/1.1");
    expect(wireVersion("HTTP/1.0")).toBe("HTTP/1.0");
  });
});

describe("status", () => {
  it("knows the registered reason phrases", () => {
    expect(reasonPhrase(200)).toBe("OK");
    expect(reasonPhrase(404)).toBe("Not Found");
    expect(reasonPhrase(413)).toBe("Content Too Large");
    expect(reasonPhrase(503)).toBe("Service Unavailable");
    expect(reasonPhrase(599)).toBe("");
    expect(Object.keys(STATUS_REASONS).length).toBeGreaterThan(60);
    for (const [code, reason] of Object.entries(STATUS_REASONS)) {
      expect(Number(code)).toBeGreaterThanOrEqual(100);
      expect(reason).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it("classifies status classes", () => {
    expect([100, 101, 199, 200].map(isInformational)).toEqual([true, true, true, false]);
    expect([199, 200, 299, 300].map(isSuccess)).toEqual([false, true, true, false]);
    expect([300, 399, 400].map(isRedirection)).toEqual([true, true, false]);
    expect([400, 499, 500].map(isClientError)).toEqual([true, true, false]);
    expect([500, 599, 600].map(isServerError)).toEqual([true, true, false]);
  });

  it("validates status codes", () => {
    expect(checkStatus(100)).toBe(100);
    expect(checkStatus(999)).toBe(999);
    for (const bad of [99, 1000, 200.5, Number.NaN, -1]) {
      expect(() => checkStatus(bad)).toThrow(HttpError);
    }
  });

  it("knows which responses have no body (RFC 9112 §6.3)", () => {
    expect(statusHasNoBody(100, "GET")).toBe(true);
    expect(statusHasNoBody(101, "GET")).toBe(true);
    expect(statusHasNoBody(204, "POST")).toBe(true);
    expect(statusHasNoBody(304, "GET")).toBe(true);
    expect(statusHasNoBody(200, "HEAD")).toBe(true);
    expect(statusHasNoBody(404, "HEAD")).toBe(true);
    expect(statusHasNoBody(200, "CONNECT")).toBe(true);
    expect(statusHasNoBody(407, "CONNECT")).toBe(false);
    expect(statusHasNoBody(200, "GET")).toBe(false);
    expect(statusHasNoBody(205)).toBe(false);
    expect(statusHasNoBody(500)).toBe(false);
  });
});
