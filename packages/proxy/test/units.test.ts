import { ErrorType, RetryType, ZpError } from "@zp/error";
import { HeaderMap } from "@zp/http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HttpPeer, errorPage, errorStatus, prefersJson, stripHopByHop } from "../src/index.js";

describe("HttpPeer", () => {
  it("parses host:port and names its endpoint and Host authority", () => {
    const plain = new HttpPeer("127.0.0.1:3000", { tls: false, sni: "" });
    expect([plain.address, plain.port, plain.tls, plain.sni]).toEqual(["127.0.0.1", 3000, false, false]);
    expect(plain.endpoint).toBe("127.0.0.1:3000");
    expect(plain.authority).toBe("127.0.0.1:3000");
    const v6 = new HttpPeer("[::1]:443", { tls: true });
    expect(v6.address).toBe("[::1]");
    expect(v6.endpoint).toBe("[::1]:443");
    expect(v6.authority).toBe("[::1]");
    const named = new HttpPeer({ address: "10.0.0.7", port: 443 }, { tls: true, sni: "api.example.com", timeouts: { readMs: 5 } });
    expect(named.authority).toBe("api.example.com");
    expect(named.toString()).toBe("https://10.0.0.7:443");
    expect(new HttpPeer("example.com:80").authority).toBe("example.com");
    expect(() => new HttpPeer("no-port")).toThrow(RangeError);
    expect(() => new HttpPeer("host:99999")).toThrow(RangeError);
  });
});

describe("error statuses and pages", () => {
  it("maps errors to statuses as Pingora does, with timeouts as 504", () => {
    const up = (t: ErrorType) => new ZpError(t, { source: "Upstream" });
    const down = (t: ErrorType) => new ZpError(t, { source: "Downstream" });
    expect(errorStatus(up(ErrorType.ConnectRefused))).toBe(502);
    expect(errorStatus(up(ErrorType.ConnectTimeout))).toBe(502);
    expect(errorStatus(up(ErrorType.InvalidCert))).toBe(502);
    expect(errorStatus(up(ErrorType.ReadTimeout))).toBe(504);
    expect(errorStatus(up(ErrorType.Custom("TotalTimeout", "ZP_TOTAL_TIMEOUT")))).toBe(504);
    expect(errorStatus(down(ErrorType.ConnectionClosed))).toBe(0);
    expect(errorStatus(down(ErrorType.ReadTimeout))).toBe(408);
    expect(errorStatus(down(ErrorType.H1Error))).toBe(400);
    expect(errorStatus(new ZpError(ErrorType.InternalError))).toBe(500);
    expect(errorStatus(new ZpError(ErrorType.HTTPStatus(429), { source: "Upstream", retry: RetryType.Decided(true) }))).toBe(429);
  });

  it("prefers JSON only when Accept ranks it above HTML", () => {
    expect(prefersJson(undefined)).toBe(false);
    expect(prefersJson("application/json")).toBe(true);
    expect(prefersJson("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).toBe(false);
    expect(prefersJson("application/json, text/html;q=0.5")).toBe(true);
    expect(prefersJson("text/html;q=0.9, application/json;q=0.4")).toBe(false);
    expect(prefersJson("application/*")).toBe(false);
    expect(prefersJson("*/*, application/json;q=0.1")).toBe(false);
  });

  it("makes small pages with a length and no caching", () => {
    const { head, body } = errorPage(503, "application/json", false);
    expect(head.status).toBe(503);
    expect(head.headers.get("content-length")).toBe(String(body.length));
    expect(head.headers.get("cache-control")).toBe("private, no-store");
    expect(head.headers.get("connection")).toBe("close");
    expect(JSON.parse(body.toString())).toEqual({ error: { status: 503, message: "Service Unavailable" } });
  });
});

const HOP = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization"];

describe("stripHopByHop", () => {
  it("removes hop-by-hop fields and the ones Connection names, keeping the rest in order", () => {
    const name = fc.constantFrom(...HOP, "x-a", "x-b", "Accept", "host", "content-length", "X-Custom");
    const fields = fc.array(fc.tuple(name, fc.constantFrom("1", "v", "close", "x-a", "x-b, keep-alive", "X-Custom, host", "trailers")), { maxLength: 12 });
    fc.assert(
      fc.property(fields, (list) => {
        const headers = new HeaderMap();
        for (const [n, v] of list) headers.append(n, v);
        const named = new Set(
          list
            .filter(([n]) => n.toLowerCase() === "connection")
            .flatMap(([, v]) => v.split(","))
            .map((t) => t.trim().toLowerCase())
            .filter((t) => t !== "host" && t !== "content-length"),
        );
        stripHopByHop(headers, { upgrade: false, trailer: false, codings: false });
        const kept = [...headers].map(([n, v]) => [n.toLowerCase(), v]);
        const expected = list.map(([n, v]) => [n.toLowerCase(), v]).filter(([n]) => !HOP.includes(n!) && !named.has(n!));
        expect(kept).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps Upgrade, Trailer and transfer codings when told, and reports TE: trailers", () => {
    const headers = HeaderMap.from([
      ["Upgrade", "websocket"],
      ["Trailer", "X-Sum"],
      ["Transfer-Encoding", "gzip, chunked"],
      ["TE", "trailers, deflate;q=0.5"],
    ]);
    expect(stripHopByHop(headers, { upgrade: true, trailer: true, codings: true })).toBe(true);
    expect([...headers]).toEqual([
      ["Upgrade", "websocket"],
      ["Trailer", "X-Sum"],
      ["Transfer-Encoding", "gzip, chunked"],
    ]);
    const chunkedOnly = HeaderMap.from([["Transfer-Encoding", "chunked"]]);
    stripHopByHop(chunkedOnly, { upgrade: false, trailer: false, codings: true });
    expect(chunkedOnly.size).toBe(0);
  });
});
