import { describe, expect, it } from "vitest";
import { HeaderMap, HttpError, RequestHeader, ResponseHeader, errorWithCode } from "./helpers.js";

const latin1 = (b: Buffer): string => b.toString("latin1");

describe("RequestHeader", () => {
  it("serialises byte-exact, in order, names as given", () => {
    const req = RequestHeader.build("GET", "/index.html?x=1")
      .insertHeader("Host", "example.com")
      .appendHeader("accept", "text/html")
      .appendHeader("X-UPPER", "v")
      .appendHeader("Accept", "*/*");
    expect(latin1(req.toBuffer())).toBe(
      "GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\naccept: text/html\r\nX-UPPER: v\r\nAccept: */*\r\n\r\n",
    );
    expect(req.encodedLength()).toBe(req.toBuffer().length);
  });

  it("writes HTTP/1.0 and writes HTTP/2 heads as HTTP/1.1", () => {
    expect(latin1(RequestHeader.build("HEAD", "/", "HTTP/1.0").toBuffer())).toBe("HEAD / HTTP/1.0\r\n\r\n");
    expect(latin1(RequestHeader.build("GET", "/", "HTTP/2").toBuffer())).toBe("GET / HTTP/1.1\r\n\r\n");
    expect(latin1(RequestHeader.build("GET", "/").setVersion("HTTP/1.0").toBuffer())).toBe("GET / HTTP/1.0\r\n\r\n");
  });

  it("keeps header values as latin1 bytes, not UTF-8", () => {
    const req = RequestHeader.build("GET", "/").appendHeader("X-Latin", "caf\xe9\xff");
    const buf = req.toBuffer();
    expect([...buf.subarray(buf.indexOf("caf") + 3, buf.indexOf("caf") + 5)]).toEqual([0xe9, 0xff]);
    expect(buf.length).toBe(req.encodedLength());
  });

  it("writes long values through the native path byte-exact", () => {
    const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 \xe9";
    const req = RequestHeader.build("POST", `/${"p".repeat(300)}`).appendHeader("User-Agent", ua);
    expect(latin1(req.toBuffer())).toBe(`POST /${"p".repeat(300)} HTTP/1.1\r\nUser-Agent: ${ua}\r\n\r\n`);
  });

  it("edits method, target and headers", () => {
    const req = RequestHeader.build("GET", "/a").appendHeader("A", "1").appendHeader("B", "2").appendHeader("a", "3");
    req.setMethod("PUT").setUri("/b?c").insertHeader("A", "x");
    expect(req.removeHeader("b")).toBe(1);
    expect(latin1(req.toBuffer())).toBe("PUT /b?c HTTP/1.1\r\nA: x\r\n\r\n");
    expect(req.target.query).toBe("c");
    expect(() => req.setMethod("B A D")).toThrow(errorWithCode("ZP_INVALID_METHOD"));
    expect(() => req.setUri("no spaces allowed")).toThrow(errorWithCode("ZP_INVALID_URI"));
    expect(() => req.insertHeader("X", "a\r\nb")).toThrow(errorWithCode("ZP_INVALID_HTTP_HEADER"));
    expect(() => RequestHeader.build("CONNECT", "/x")).toThrow(HttpError);
    expect(req.method).toBe("PUT");
    expect(req.uri).toBe("/b?c");
  });

  it("rewrites absolute-form to origin-form and Host", () => {
    const req = RequestHeader.build("GET", "http://example.com:8080/a?b")
      .appendHeader("Accept", "*/*")
      .appendHeader("host", "spoofed");
    req.toOriginForm();
    expect(latin1(req.toBuffer())).toBe("GET /a?b HTTP/1.1\r\nAccept: */*\r\nHost: example.com:8080\r\n\r\n");
    expect(req.target.form).toBe("origin");
    const noHost = RequestHeader.build("GET", "http://[::1]").toOriginForm();
    expect(latin1(noHost.toBuffer())).toBe("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n");
    const origin = RequestHeader.build("GET", "/x").toOriginForm();
    expect(origin.uri).toBe("/x");
    expect(origin.headers.size).toBe(0);
  });

  it("parses the target of unchecked heads lazily", () => {
    const headers = new HeaderMap().appendUnchecked("Host", "h");
    const req = RequestHeader.unchecked("OPTIONS", "*", "HTTP/1.1", headers);
    expect(req.target.form).toBe("asterisk");
    req.uri = "/direct?q";
    expect(req.target.query).toBe("q");
    expect(RequestHeader.unchecked("GET", "bad target", "HTTP/1.1").uri).toBe("bad target");
    expect(() => RequestHeader.unchecked("GET", "bad target", "HTTP/1.1").target).toThrow(HttpError);
  });

  it("writes into a caller's buffer at an offset", () => {
    const req = RequestHeader.build("GET", "/").appendHeader("Host", "h");
    const buf = Buffer.alloc(64, 0x2e);
    const end = req.writeInto(buf, 5);
    expect(end).toBe(5 + req.encodedLength());
    expect(latin1(buf.subarray(0, end + 1))).toBe(".....GET / HTTP/1.1\r\nHost: h\r\n\r\n.");
    const small = Buffer.alloc(10, 0x2e);
    expect(() => req.writeInto(small, 0)).toThrow(errorWithCode("ZP_BUFFER_TOO_SMALL"));
    expect(() => req.writeInto(buf, 60)).toThrow(errorWithCode("ZP_BUFFER_TOO_SMALL"));
    expect(small.every((b) => b === 0x2e)).toBe(true);
  });

  it("clones independently", () => {
    const a = RequestHeader.build("GET", "/").appendHeader("A", "1");
    const b = a.clone().appendHeader("B", "2").setUri("/other");
    expect(latin1(a.toBuffer())).toBe("GET / HTTP/1.1\r\nA: 1\r\n\r\n");
    expect(latin1(b.toBuffer())).toBe("GET /other HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n");
  });
});

describe("ResponseHeader", () => {
  it("serialises byte-exact with the registered reason", () => {
    const res = ResponseHeader.build(200).appendHeader("Content-Type", "text/plain").appendHeader("Content-Length", "5");
    expect(latin1(res.toBuffer())).toBe("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
    expect(latin1(ResponseHeader.build(404, "HTTP/1.0").toBuffer())).toBe("HTTP/1.0 404 Not Found\r\n\r\n");
    expect(latin1(ResponseHeader.build(101).toBuffer())).toBe("HTTP/1.1 101 Switching Protocols\r\n\r\n");
    expect(latin1(ResponseHeader.build(599).toBuffer())).toBe("HTTP/1.1 599 \r\n\r\n");
    expect(latin1(ResponseHeader.build(999).toBuffer())).toBe("HTTP/1.1 999 \r\n\r\n");
  });

  it("sets status and a custom reason phrase", () => {
    const res = ResponseHeader.build(200).setReasonPhrase("Fine Thanks");
    expect(res.reason).toBe("Fine Thanks");
    expect(latin1(res.toBuffer())).toBe("HTTP/1.1 200 Fine Thanks\r\n\r\n");
    res.setStatus(503);
    expect(res.reason).toBe("Service Unavailable");
    res.setReasonPhrase("").insertHeader("Retry-After", "5");
    expect(latin1(res.toBuffer())).toBe("HTTP/1.1 503 \r\nRetry-After: 5\r\n\r\n");
    res.setReasonPhrase(undefined);
    expect(res.reason).toBe("Service Unavailable");
    expect(() => res.setReasonPhrase("bad\r\nX: 1")).toThrow(errorWithCode("ZP_INVALID_STATUS"));
    expect(() => res.setStatus(1000)).toThrow(errorWithCode("ZP_INVALID_STATUS"));
    expect(() => ResponseHeader.build(42)).toThrow(HttpError);
    expect(res.appendHeader("Set-Cookie", "a=1").appendHeader("Set-Cookie", "b=2").removeHeader("set-cookie")).toBe(2);
    expect(ResponseHeader.unchecked(200, "HTTP/1.1", undefined, "Okay").reason).toBe("Okay");
  });

  it("writes into a caller's buffer and clones", () => {
    const res = ResponseHeader.build(204).appendHeader("Server", "zingora");
    const buf = Buffer.alloc(res.encodedLength() + 2);
    expect(res.writeInto(buf, 2)).toBe(buf.length);
    expect(latin1(buf.subarray(2))).toBe("HTTP/1.1 204 No Content\r\nServer: zingora\r\n\r\n");
    expect(() => res.writeInto(buf, 3)).toThrow(errorWithCode("ZP_BUFFER_TOO_SMALL"));
    const copy = res.clone().setStatus(200);
    expect(res.status).toBe(204);
    expect(copy.headers.get("server")).toBe("zingora");
  });
});
