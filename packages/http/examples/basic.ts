import { HeaderMap, RequestHeader, ResponseHeader, isIdempotent, parseUri, statusHasNoBody } from "@zp/http";

// A request as a forward proxy receives it: absolute-form target, headers in any case.
const req = RequestHeader.build("GET", "http://example.com:8080/search?q=zingora")
  .appendHeader("User-Agent", "curl/8.5.0")
  .appendHeader("Accept", "text/html")
  .appendHeader("accept", "application/json");

console.log(req.headers.get("ACCEPT")); // text/html
console.log(req.headers.getJoined("accept")); // text/html, application/json
console.log(isIdempotent(req.method)); // true: safe to retry on a fresh connection

// Before forwarding to the origin: origin-form target and a Host header from the authority.
req.toOriginForm();
process.stdout.write(req.toBuffer().toString("latin1"));
// GET /search?q=zingora HTTP/1.1
// User-Agent: curl/8.5.0
// Accept: text/html
// accept: application/json
// Host: example.com:8080

// Targets: origin-, absolute-, authority- (CONNECT) and asterisk-form, IPv6 included.
const target = parseUri("[::1]:443", "CONNECT");
console.log(target.form, target.host, target.port); // authority ::1 443

// A response head written straight into one buffer.
const res = ResponseHeader.build(503).insertHeader("Retry-After", "5").insertHeader("Content-Length", "0");
process.stdout.write(res.toBuffer().toString("latin1"));
// HTTP/1.1 503 Service Unavailable
// Retry-After: 5
// Content-Length: 0
console.log(statusHasNoBody(304, "GET")); // true

// Invalid input is refused with a typed error.
try {
  new HeaderMap().set("X-Bad", "line\r\nInjected: 1");
} catch (e) {
  console.log((e as { code: string }).code); // ZP_INVALID_HTTP_HEADER
}
