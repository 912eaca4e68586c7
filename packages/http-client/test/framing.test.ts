import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RequestHeader } from "@zp/http";
import { keepAliveTimeoutSeconds } from "@zp/http-client";
import { pooledIdleMs } from "../src/keep-alive.js";
import { CHUNKED, frameRequest, lastChunk, framedSmallChunk } from "../src/request-framing.js";
import { HeaderMap } from "@zp/http";

describe("Keep-Alive", () => {
  it("reads the timeout parameter", () => {
    expect(keepAliveTimeoutSeconds("timeout=5, max=100")).toBe(5);
    expect(keepAliveTimeoutSeconds("max=100, Timeout = 30")).toBe(30);
    expect(keepAliveTimeoutSeconds("max=3")).toBe(-1);
    expect(keepAliveTimeoutSeconds("xtimeout=4")).toBe(-1);
    expect(keepAliveTimeoutSeconds("timeout=")).toBe(-1);
    expect(keepAliveTimeoutSeconds("timeout=0")).toBe(0);
  });

  it("keeps a connection shorter than the server does", () => {
    expect(pooledIdleMs(60_000, -1, 1000)).toBe(60_000);
    expect(pooledIdleMs(60_000, 5, 1000)).toBe(4000);
    expect(pooledIdleMs(60_000, 1, 1000)).toBe(750);
    expect(pooledIdleMs(2_000, 100, 1000)).toBe(2000);
    expect(pooledIdleMs(60_000, 0, 1000)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 1, max: 10_000_000 }), (s, ours) => {
        const ms = pooledIdleMs(ours, s, 1000);
        return ms > 0 && ms < s * 1000 && ms <= ours;
      }),
    );
  });
});

describe("request framing", () => {
  const head = (method: string, fields: [string, string][] = [], version: "HTTP/1.0" | "HTTP/1.1" = "HTTP/1.1"): RequestHeader => {
    const h = RequestHeader.build(method, "/", version);
    for (const [n, v] of fields) h.appendHeader(n, v);
    return h;
  };

  it("adds what the head lacks", () => {
    const get = head("GET");
    expect(frameRequest(get, undefined)).toBe(0);
    expect(get.headers.size).toBe(0);
    const post = head("POST");
    expect(frameRequest(post, undefined)).toBe(0);
    expect(post.headers.get("content-length")).toBe("0");
    const sized = head("PUT");
    expect(frameRequest(sized, 42)).toBe(42);
    expect(sized.headers.get("content-length")).toBe("42");
    const streamed = head("POST");
    expect(frameRequest(streamed, true)).toBe(CHUNKED);
    expect(streamed.headers.get("transfer-encoding")).toBe("chunked");
  });

  it("follows the head's own framing", () => {
    expect(frameRequest(head("POST", [["Content-Length", "7"]]), true)).toBe(7);
    expect(frameRequest(head("POST", [["Transfer-Encoding", "gzip, chunked"]]), 5)).toBe(CHUNKED);
    const dup = head("POST", [["Content-Length", "3"], ["content-length", "3"]]);
    expect(frameRequest(dup, undefined)).toBe(3);
    expect(dup.headers.getAll("content-length")).toEqual(["3"]);
    expect(() => frameRequest(head("POST", [["Content-Length", "3"], ["Content-Length", "4"]]), undefined)).toThrow();
    expect(() => frameRequest(head("POST", [["Content-Length", "-1"]]), undefined)).toThrow();
    expect(() => frameRequest(head("POST", [["Transfer-Encoding", "chunked"]], "HTTP/1.0"), undefined)).toThrow();
  });

  it("always leaves exactly one framing header when there is a body", () => {
    fc.assert(
      fc.property(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"), fc.oneof(fc.constant(undefined), fc.boolean(), fc.nat(1e9)), (method, length) => {
        const h = head(method);
        const framing = frameRequest(h, length);
        const cl = h.headers.getAll("content-length");
        const te = h.headers.getAll("transfer-encoding");
        if (framing === CHUNKED) return cl.length === 0 && te.length === 1;
        return te.length === 0 && cl.length <= 1 && (framing === 0 || cl[0] === String(framing));
      }),
    );
  });

  it("encodes chunks and the last chunk with trailers", () => {
    expect(framedSmallChunk(Buffer.from("hello world, 26 bytes long")).toString()).toBe("1a\r\nhello world, 26 bytes long\r\n");
    expect(lastChunk(undefined).toString()).toBe("0\r\n\r\n");
    expect(lastChunk(new HeaderMap().append("X-Sum", "1")).toString()).toBe("0\r\nX-Sum: 1\r\n\r\n");
  });
});
