import { describe, expect, it } from "vitest";
import { FieldsView, H1Parser, ParseErrorCode as E, type H1Head } from "../src/index.js";
import { INTERNED_NAMES, internName } from "../src/header-names.js";
import { latin1 } from "../src/latin1.js";
import { collect } from "./helpers/collect.js";

const b = (s: string) => Buffer.from(s, "latin1");
/** Decodes one range on its own: the reference every string must equal. */
const decode = (buf: Uint8Array, start: number, end: number) => Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1", start, end);

interface Seen {
  url: string;
  flat: string[];
  reference: string[];
  perField: string[];
}

/** Parses `wire` fed in `pieces`-byte pieces and records every head's strings next to per-field decoding. */
function heads(wire: Buffer, pieces = wire.length, parser?: H1Parser): Seen[] {
  const seen: Seen[] = [];
  const onHeaders = (head: H1Head) => {
    const f = head.fields;
    const reference: string[] = [];
    const perField: string[] = [];
    for (let i = 0; i < f.count; i++) {
      const o = f.offsets;
      reference.push(decode(f.buf, o[i * 4]!, o[i * 4 + 1]!), decode(f.buf, o[i * 4 + 2]!, o[i * 4 + 3]!));
      perField.push(f.name(i), f.value(i));
    }
    seen.push({ url: head.url, flat: head.headerStrings(), reference, perField });
  };
  const p = parser ?? new H1Parser("request", { onHeaders });
  for (let at = 0; at < wire.length; at += pieces) {
    const piece = wire.subarray(at, Math.min(wire.length, at + pieces));
    p.execute(Buffer.from(piece));
  }
  return seen;
}

describe("interned header names", () => {
  it("are found for every table entry and are the decoded string", () => {
    for (const name of INTERNED_NAMES) {
      const bytes = b(`x${name}:`);
      expect(internName(bytes, 1, bytes.length - 1)).toBe(name);
      expect(internName(bytes, 1, bytes.length - 1)).toBe(decode(bytes, 1, bytes.length - 1));
    }
    expect(INTERNED_NAMES).toContain("Host");
    expect(INTERNED_NAMES).toContain("sec-ch-ua-platform");
    expect(INTERNED_NAMES).toContain("Upgrade-Insecure-Requests");
  });

  it("match only the exact bytes: other spellings, prefixes and extensions are decoded", () => {
    for (const name of ["HoSt", "HOST", "CONTENT-LENGTH", "x-Forwarded-For", "Hos", "Hostx", "Accept-", "accept-encodingx", "a", "sec-ch-u"]) {
      const bytes = b(name);
      expect(internName(bytes, 0, bytes.length)).toBeUndefined();
    }
  });

  it("give the same names as decoding, for mixed-case and unusual names", () => {
    const names = ["Host", "host", "HoSt", "USER-AGENT", "X-Custom-Thing", "!#$%&'*+-.^_`|~", "a", "Z".repeat(200), "Sec-Fetch-Mode", "Sec-Fetch-Moda"];
    const wire = b(`GET / HTTP/1.1\r\n${names.map((n, i) => `${n}: ${i}\r\n`).join("")}\r\n`);
    for (const pieces of [wire.length, 7, 1]) {
      const [h] = heads(wire, pieces);
      expect(h!.flat).toEqual(h!.reference);
      expect(h!.perField).toEqual(h!.reference);
      expect(h!.flat.filter((_, i) => i % 2 === 0)).toEqual(names);
    }
  });

  it("stay exact when headers change order between messages (the name predictor)", () => {
    const one = "GET /1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nCookie: c=1\r\n\r\n";
    // the predicted names appear as prefixes, in other case, or not at all
    const two = "GET /2 HTTP/1.1\r\nHostname: b\r\nACCEPT: x\r\nAccept: y\r\nX-Other: z\r\nCookie-2: d\r\n\r\n";
    const three = "GET /3 HTTP/1.1\r\nCookie: c=2\r\nHost: a\r\n\r\n";
    const seen = heads(b(one + two + three + one + two));
    expect(seen.map((h) => h.url)).toEqual(["/1", "/2", "/3", "/1", "/2"]);
    for (const h of seen) {
      expect(h.flat).toEqual(h.reference);
      expect(h.perField).toEqual(h.reference);
    }
    expect(seen[1]!.flat).toEqual(["Hostname", "b", "ACCEPT", "x", "Accept", "y", "X-Other", "z", "Cookie-2", "d"]);
  });

  it("do not change what is rejected: a predicted name followed by a bad byte", () => {
    const p = new H1Parser("request");
    p.execute(b("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    expect(collect("request", b("GET / HTTP/1.1\r\nHost : a\r\n\r\n")).error?.code).toBe(E.InvalidHeaderToken);
    expect(collect("request", b("GET / HTTP/1.1\r\nHost\x00: a\r\n\r\n")).error?.code).toBe(E.InvalidHeaderToken);
  });
});

describe("latin1", () => {
  it("decodes every length, short (built in JS) or long (native), like Buffer does", () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
    for (let start = 0; start < 3; start++) {
      for (let len = 0; len <= 40; len++) expect(latin1(bytes, start, start + len)).toBe(decode(bytes, start, start + len));
    }
    expect(latin1(bytes, 0, 300)).toBe(decode(bytes, 0, 300));
  });
});

describe("strings cut from the decoded head", () => {
  it("equal per-field decoding, including latin1 bytes 0x80 and above", () => {
    const high = Array.from({ length: 128 }, (_, i) => String.fromCharCode(0x80 + i)).join("");
    const wire = b(`GET /p?q=1 HTTP/1.1\r\nX-High: ${high}\r\nHost: \t caf\xe9 \t\r\nX-Empty:\r\nX-Tab: a\tb\r\nX-Short: ab\r\n\r\n`);
    for (const pieces of [wire.length, 13, 1]) {
      const [h] = heads(wire, pieces);
      expect(h!.flat).toEqual(h!.reference);
      expect(h!.perField).toEqual(h!.reference);
      expect(h!.flat).toEqual(["X-High", high, "Host", "caf\xe9", "X-Empty", "", "X-Tab", "a\tb", "X-Short", "ab"]);
      expect(h!.url).toBe("/p?q=1");
    }
  });

  it("are the same whether built one by one (few short strings) or cut from one decode", () => {
    const few = b("GET / HTTP/1.1\r\nHost: example.com\r\nX-A: \xe9\xff\r\n\r\n");
    const many = b(`GET / HTTP/1.1\r\n${Array.from({ length: 12 }, (_, i) => `X-${i}: v\xe9${i}\r\n`).join("")}\r\n`);
    for (const wire of [few, many]) {
      const [h] = heads(wire);
      expect(h!.flat).toEqual(h!.reference);
      expect(h!.perField).toEqual(h!.reference);
    }
  });

  it("give the reason phrase and trailers exactly", () => {
    const wire = b("HTTP/1.1 200 \xc7a va\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-Sum: \xff1\r\nexpires: never\r\n\r\n");
    for (const pieces of [wire.length, 5, 1]) {
      const got: { reason: string; trailers: string[] } = { reason: "", trailers: [] };
      const p = new H1Parser("response", {
        onHeaders: (head) => void (got.reason = head.reason),
        onTrailers: (t) => void (got.trailers = t.strings()),
      });
      for (let at = 0; at < wire.length; at += pieces) p.execute(Buffer.from(wire.subarray(at, at + pieces)));
      expect(got).toEqual({ reason: "\xc7a va", trailers: ["X-Sum", "\xff1", "expires", "never"] });
    }
  });

  it("compares the reason phrase without decoding it (reasonIs), before and after a decode", () => {
    for (const [wire, reason] of [["HTTP/1.1 200 OK\r\n\r\n", "OK"], ["HTTP/1.1 404 \xc7a va\r\n\r\n", "\xc7a va"], ["HTTP/1.1 204 \r\n\r\n", ""]] as const) {
      const seen: boolean[] = [];
      new H1Parser("response", {
        onHeaders(head) {
          seen.push(head.reasonIs(reason), head.reasonIs(`${reason}x`), head.reasonIs(reason.toLowerCase() === reason ? "Z" : reason.toLowerCase()));
          void head.reason; // decoded: now compared as a string
          seen.push(head.reasonIs(reason), head.reasonIs(`${reason}x`));
        },
      }).execute(b(wire));
      expect(seen).toEqual([true, false, false, true, false]);
    }
  });

  it("reuses the array passed to headerStrings", () => {
    const out = ["stale", "stale", "stale", "stale", "stale", "stale"];
    let same = false;
    new H1Parser("request", {
      onHeaders(head) {
        same = head.headerStrings(out) === out;
      },
    }).execute(b("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    expect(same).toBe(true);
    expect(out).toEqual(["Host", "a"]);
  });

  it("works on a view filled by hand, and for ranges outside the section", () => {
    const buf = b("xx Name: value-\xe9 yy");
    const view = new FieldsView(2);
    view.buf = buf;
    view.offsets.set([3, 7, 9, 16]);
    view.count = 1;
    expect(view.strings()).toEqual(["Name", "value-\xe9"]);
    expect(view.text(0, 2)).toBe("xx");
    expect(view.text(17, 19)).toBe("yy");
    view.buf = b("xx Host: other-\xe9 yy");
    expect(view.toArray()).toEqual([["Host", "other-\xe9"]]);
  });
});
