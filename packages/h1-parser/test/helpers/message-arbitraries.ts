import fc from "fast-check";

// Generators of HTTP/1 messages for the differential and fuzz tests: mostly valid
// messages built from a vocabulary of tricky pieces, then sometimes one byte mutated.

const eol = fc.oneof({ weight: 20, arbitrary: fc.constant("\r\n") }, { weight: 1, arbitrary: fc.constantFrom("\n", "\r", "\r\r\n") });

const token = fc.constantFrom("X-Custom", "Accept", "Host", "x_y", "A-B-C", "Cookie", "Vary", "X-Forwarded-For");

const genericValue = fc.constantFrom("v", "a b", "text/html; q=0.9", "caf\xe9", "\t x \t", "", " ", "a\x01b", "\x7f", "a\"b", "*/*");

const header: fc.Arbitrary<[string, string]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(token, genericValue) },
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc.constantFrom("Content-Length", "content-length", "CONTENT-LENGTH"),
      fc.constantFrom("0", "5", "05", " 5 ", "5,5", "5, 5", "-1", "+5", "5 5", "", "1e3", "0x5", "99999999999999999999", "5\t"),
    ),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc.constantFrom("Transfer-Encoding", "transfer-encoding"),
      fc.constantFrom("chunked", "CHUNKED", "gzip, chunked", "chunked, gzip", "xchunked", "chunked ", "identity", "chunked,", ",chunked", "chunked, chunked", "gzip,\tchunked", "chunked\t", "chunkedchunked", ""),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom("Connection", "connection", "Proxy-Connection"),
      fc.constantFrom("close", "keep-alive", "upgrade", "Upgrade, keep-alive", "close, upgrade", "Keep-Alive", "token", "keep-alive, close"),
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("Upgrade", "Expect"), fc.constantFrom("websocket", "h2c", "100-continue", "100-Continue")) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("Bad Name", "X\x0bY", "", "X:Y", "\tX", " X", "X "), genericValue) },
);

const chunkedBody = fc
  .tuple(
    fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom("", ";a", ";a=b", ';a="q \\" x"', ";a=", "; a", ";")), { maxLength: 3 }),
    fc.array(fc.tuple(token, genericValue), { maxLength: 2 }),
    fc.constantFrom("0", "000", "0;x=y"),
  )
  .map(([chunks, trailers, last]) => {
    let s = "";
    for (const [data, ext] of chunks) s += `${data.length.toString(16)}${ext}\r\n${data}\r\n`;
    s += `${last}\r\n`;
    for (const [n, v] of trailers) s += `${n}: ${v}\r\n`;
    return `${s}\r\n`;
  });

const body = fc.oneof(fc.constant(""), fc.string({ maxLength: 12 }), chunkedBody);

function head(startLine: string, headers: [string, string][], ends: string[]): string {
  let s = startLine + ends[0]!;
  headers.forEach(([n, v], i) => {
    s += `${n}:${v.length > 0 && v[0] !== " " && v[0] !== "\t" ? " " : ""}${v}${ends[(i + 1) % ends.length]!}`;
  });
  return s + ends[ends.length - 1]!;
}

const requestLine = fc
  .tuple(
    fc.constantFrom("GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "M-SEARCH", "CONNECT", "get", "FOO", "PRI"),
    fc.constantFrom("/", "/a/b?c=d", "/x#frag", "*", "http://example.com/p", "http://a:b@h:80/x?y", "/%41", "/a b", "/\x7f", "//x", "x", "example.com:443", "/caf\xe9"),
    fc.constantFrom("HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "http/1.1", "HTTP/1.1 ", "HTTP/11"),
  )
  .map(([m, u, v]) => `${m} ${u} ${v}`);

const statusLine = fc
  .tuple(
    fc.constantFrom("HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "HTTP/01.1"),
    fc.constantFrom("200", "200", "204", "304", "100", "103", "404", "2000", "20"),
    fc.constantFrom(" OK", " Not Found", "", " ", "  x"),
  )
  .map(([v, s, r]) => `${v} ${s}${r}`);

function message(startLine: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(startLine, fc.array(header, { maxLength: 6 }), fc.array(eol, { minLength: 1, maxLength: 3 }), body)
    .map(([line, headers, ends, b]) => head(line, headers, ends) + b);
}

const interesting = [0x0d, 0x0a, 0x20, 0x09, 0x00, 0x0b, 0x0c, 0x7f, 0xff, 0x3a, 0x3b, 0x22, 0x5c, 0x2c, 0x61, 0x30, 0x66];

/** One or more messages in one string, sometimes with one byte replaced, inserted or removed. */
export function messages(mode: "request" | "response"): fc.Arbitrary<Uint8Array> {
  const one = message(mode === "request" ? requestLine : statusLine);
  return fc
    .tuple(fc.array(one, { minLength: 1, maxLength: 3 }), fc.option(fc.tuple(fc.nat(), fc.constantFrom(...interesting), fc.constantFrom(0, 1, 2)), { freq: 3 }))
    .map(([msgs, mutation]) => {
      const bytes = Array.from(Buffer.from(msgs.join(""), "latin1"));
      if (mutation !== null && bytes.length > 0) {
        const [pos, byte, op] = mutation;
        const i = pos % bytes.length;
        if (op === 0) bytes[i] = byte;
        else if (op === 1) bytes.splice(i, 0, byte);
        else bytes.splice(i, 1);
      }
      return Uint8Array.from(bytes);
    });
}
