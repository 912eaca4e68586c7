import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HttpError, errorWithCode, formatAuthority, parseUri } from "./helpers.js";

describe("parseUri", () => {
  it("parses origin-form without copying until asked", () => {
    const u = parseUri("/search/a%20b?q=1&r=[x]|{y}");
    expect(u.form).toBe("origin");
    expect(u.path).toBe("/search/a%20b");
    expect(u.query).toBe("q=1&r=[x]|{y}");
    expect(u.pathAndQuery).toBe("/search/a%20b?q=1&r=[x]|{y}");
    expect(u.host).toBeUndefined();
    expect(u.authority).toBeUndefined();
    expect(u.scheme).toBeUndefined();
    expect(u.port).toBeUndefined();
    expect(parseUri("/").path).toBe("/");
    expect(parseUri("/?").query).toBe("");
    expect(parseUri("/a").query).toBeUndefined();
    expect(parseUri("//double").path).toBe("//double");
    expect(parseUri("/a?b?c/d").query).toBe("b?c/d");
    expect(String(parseUri("/x?y"))).toBe("/x?y");
  });

  it("parses absolute-form", () => {
    const u = parseUri("HTTP://Example.COM:8080/a/b?x=1");
    expect(u.form).toBe("absolute");
    expect(u.scheme).toBe("http");
    expect(u.host).toBe("Example.COM");
    expect(u.port).toBe(8080);
    expect(u.authority).toBe("Example.COM:8080");
    expect(u.path).toBe("/a/b");
    expect(u.query).toBe("x=1");
    expect(u.pathAndQuery).toBe("/a/b?x=1");

    const bare = parseUri("https://example.com");
    expect([bare.path, bare.query, bare.pathAndQuery, bare.port, bare.effectivePort]).toEqual(["/", undefined, "/", undefined, 443]);
    const q = parseUri("http://example.com?x");
    expect([q.path, q.query, q.pathAndQuery, q.effectivePort]).toEqual(["/", "x", "/?x", 80]);
    const emptyPort = parseUri("http://example.com:/p");
    expect([emptyPort.port, emptyPort.authority, emptyPort.effectivePort]).toEqual([undefined, "example.com", 80]);
    expect(parseUri("ws://h/").effectivePort).toBe(80);
    expect(parseUri("wss://h/").effectivePort).toBe(443);
    expect(parseUri("ftp://h/").effectivePort).toBeUndefined();
    expect(parseUri("http://a-b.c_d~e!$&'()*+,;=%41/").host).toBe("a-b.c_d~e!$&'()*+,;=%41");
  });

  it("parses IPv6 literals", () => {
    const u = parseUri("http://[::1]:8080/x");
    expect([u.host, u.port, u.ipv6, u.authority]).toEqual(["::1", 8080, true, "[::1]:8080"]);
    const noPort = parseUri("http://[2001:db8::7]/");
    expect([noPort.host, noPort.port, noPort.authority]).toEqual(["2001:db8::7", undefined, "[2001:db8::7]"]);
    const c = parseUri("[::ffff:192.0.2.1]:443", "CONNECT");
    expect([c.form, c.host, c.port, c.authority]).toEqual(["authority", "::ffff:192.0.2.1", 443, "[::ffff:192.0.2.1]:443"]);
  });

  it("parses authority-form for CONNECT and asterisk-form for OPTIONS", () => {
    const c = parseUri("example.com:443", "CONNECT");
    expect([c.form, c.host, c.port, c.authority, c.path, c.pathAndQuery]).toEqual(["authority", "example.com", 443, "example.com:443", "", ""]);
    expect(parseUri("example.com:443").form).toBe("authority");
    const a = parseUri("*", "OPTIONS");
    expect([a.form, a.path, a.pathAndQuery, a.host]).toEqual(["asterisk", "*", "*", undefined]);
    expect(parseUri("*").form).toBe("asterisk");
  });

  it("rejects invalid targets with ZP_INVALID_URI", () => {
    const cases: [string, string?][] = [
      [""],
      ["/a b"],
      ["/a#frag"],
      ["/a\r\n"],
      ["/caf\u00e9"],
      ["/%zz"],
      ["/%4"],
      ["/a?%"],
      ["/a?b\x7f"],
      ["http://"],
      ["http:///path"],
      ["http://user@host/"],
      ["http://user:pw@host/"],
      ["http://host:99999/"],
      ["http://host:123456/"],
      ["http://host:8x/"],
      ["http://ho st/"],
      ["http://[::1/"],
      ["http://[::1]x/"],
      ["http://[not-v6]/"],
      ["http://[fe80::1%eth0]/"],
      ["http://h/a#b"],
      ["example.com", "CONNECT"],
      ["example.com:", "CONNECT"],
      ["/path", "CONNECT"],
      ["http://example.com:443/", "CONNECT"],
      ["example.com:443", "GET"],
      ["*", "GET"],
      ["**"],
      ["mailto:someone@example.com"],
      ["1http://x/"],
    ];
    for (const [target, method] of cases) {
      expect(() => parseUri(target, method), JSON.stringify(target)).toThrow(errorWithCode("ZP_INVALID_URI"));
    }
  });

  it("formats authorities", () => {
    expect(formatAuthority("example.com", 80)).toBe("example.com:80");
    expect(formatAuthority("example.com")).toBe("example.com");
    expect(formatAuthority("::1", 8080)).toBe("[::1]:8080");
    expect(formatAuthority("[::1]", 8080)).toBe("[::1]:8080");
  });
});

describe("parseUri properties", () => {
  const methods = fc.constantFrom(undefined, "GET", "CONNECT", "OPTIONS", "POST");

  it("throws nothing but HttpError on any input", () => {
    const pieces = fc.constantFrom("/", "?", "#", "%", "%4", "%41", ":", "@", "[", "]", "::1", "http://", "*", "a", "Z", "9", " ", "\r", "\u00e9", "\u2603", "65536", "443");
    const input = fc.oneof(fc.string(), fc.array(pieces, { maxLength: 12 }).map((p) => p.join("")));
    fc.assert(
      fc.property(input, methods, (target, method) => {
        try {
          const u = parseUri(target, method);
          // What parses must read back consistently.
          void [u.path, u.query, u.host, u.authority, u.pathAndQuery, u.scheme, u.effectivePort];
          expect(u.raw).toBe(target);
        } catch (e) {
          expect(e).toBeInstanceOf(HttpError);
          expect((e as HttpError).code).toBe("ZP_INVALID_URI");
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("splits generated absolute targets into the parts they were built from", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join(".")),
      fc.ipV6().map((ip) => `[${ip}]`),
    );
    const segment = fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,6}$/);
    const path = fc.array(segment, { maxLength: 4 }).map((s) => (s.length === 0 ? "" : `/${s.join("/")}`));
    const query = fc.option(fc.stringMatching(/^[A-Za-z0-9=&/?-]{0,8}$/), { nil: undefined });
    const port = fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined });
    fc.assert(
      fc.property(fc.constantFrom("http", "https"), host, port, path, query, (scheme, h, p, pa, q) => {
        const authority = p === undefined ? h : `${h}:${p}`;
        const target = `${scheme}://${authority}${pa}${q === undefined ? "" : `?${q}`}`;
        const u = parseUri(target, "GET");
        expect(u.form).toBe("absolute");
        expect(u.scheme).toBe(scheme);
        expect(u.authority).toBe(authority);
        expect(u.host).toBe(h.startsWith("[") ? h.slice(1, -1) : h);
        expect(u.port).toBe(p);
        expect(u.path).toBe(pa === "" ? "/" : pa);
        expect(u.query).toBe(q);
        const origin = parseUri(u.pathAndQuery, "GET");
        expect(origin.form).toBe("origin");
        expect(origin.query).toBe(q);
      }),
    );
  });
});
