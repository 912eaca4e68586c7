import { BodyKind, H1Parser, ParseError } from "@zp/h1-parser";

// A server-side parser for one connection: two pipelined requests arrive in pieces.
const parser = new H1Parser("request", {
  onHeaders(head) {
    console.log(head.method, head.url, `HTTP/${head.versionMajor}.${head.versionMinor}`);
    console.log("  host:", head.getHeader("host"), "| keep-alive:", head.shouldKeepAlive);
    if (head.bodyKind === BodyKind.Chunked) console.log("  body: chunked");
  },
  onBody(buf, start, end) {
    console.log("  body piece:", Buffer.from(buf.subarray(start, end)).toString("latin1"));
  },
  onTrailers(trailers) {
    console.log("  trailers:", trailers.toArray());
  },
  onMessageComplete() {
    console.log("  done");
  },
});

const wire = Buffer.from(
  "POST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "5\r\nhello\r\n6\r\n world\r\n0\r\nChecksum: 42\r\n\r\n" +
    "GET /next HTTP/1.1\r\nHost: example.com\r\n\r\n",
);
// Feed it in pieces, as a socket would deliver them: any split gives the same result.
let at = 0;
for (const cut of [30, 71, 90, wire.length]) {
  parser.execute(wire, at, cut);
  at = cut;
}

// Smuggling attempts are refused with a stable code and the offending byte.
try {
  new H1Parser("request").execute(Buffer.from("POST / HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"));
} catch (err) {
  if (err instanceof ParseError) console.log(err.code, "at byte", err.offset);
}
