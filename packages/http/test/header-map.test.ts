import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeaderMap, HttpError, errorWithCode, headerKey, isValidHeaderName, isValidHeaderValue } from "./helpers.js";

describe("HeaderMap", () => {
  it("looks names up case-insensitively and keeps raw names and order", () => {
    const h = new HeaderMap()
      .append("Host", "example.com")
      .append("X-Custom-ID", "1")
      .append("accept", "text/html")
      .append("ACCEPT", "application/json");
    expect(h.size).toBe(4);
    expect(h.get("host")).toBe("example.com");
    expect(h.get("HOST")).toBe("example.com");
    expect(h.get("x-custom-id")).toBe("1");
    expect(h.get("Accept")).toBe("text/html");
    expect(h.getAll("aCCept")).toEqual(["text/html", "application/json"]);
    expect(h.getJoined("accept")).toBe("text/html, application/json");
    expect(h.getJoined("host")).toBe("example.com");
    expect(h.getJoined("missing")).toBeUndefined();
    expect(h.get("missing")).toBeUndefined();
    expect(h.getAll("missing")).toEqual([]);
    expect(h.has("X-CUSTOM-ID")).toBe(true);
    expect(h.has("x-custom")).toBe(false);
    expect([...h]).toEqual([
      ["Host", "example.com"],
      ["X-Custom-ID", "1"],
      ["accept", "text/html"],
      ["ACCEPT", "application/json"],
    ]);
    expect(h.toRawHeaders()).toEqual(["Host", "example.com", "X-Custom-ID", "1", "accept", "text/html", "ACCEPT", "application/json"]);
    expect([h.nameAt(1), h.keyAt(1), h.valueAt(1), h.nameAt(9)]).toEqual(["X-Custom-ID", "x-custom-id", "1", undefined]);
    expect(h.indexOf("ACCEPT")).toBe(2);
  });

  it("set replaces all values in the place of the first", () => {
    const h = new HeaderMap()
      .append("A", "1")
      .append("Vary", "accept")
      .append("B", "2")
      .append("vary", "origin")
      .append("C", "3");
    h.set("VARY", "*");
    expect(h.toRawHeaders()).toEqual(["A", "1", "VARY", "*", "B", "2", "C", "3"]);
    h.set("D", "4");
    expect(h.toRawHeaders()).toEqual(["A", "1", "VARY", "*", "B", "2", "C", "3", "D", "4"]);
    h.set("a", "one");
    expect(h.toRawHeaders()).toEqual(["a", "one", "VARY", "*", "B", "2", "C", "3", "D", "4"]);
  });

  it("remove drops every field of a name and reports how many", () => {
    const h = HeaderMap.from([
      ["Set-Cookie", "a=1"],
      ["Date", "x"],
      ["set-cookie", "b=2"],
      ["SET-COOKIE", "c=3"],
    ]);
    expect(h.remove("Set-Cookie")).toBe(3);
    expect(h.remove("set-cookie")).toBe(0);
    expect(h.toRawHeaders()).toEqual(["Date", "x"]);
    h.clear();
    expect(h.size).toBe(0);
    expect(h.get("date")).toBeUndefined();
  });

  it("builds from objects and raw header lists", () => {
    const h = HeaderMap.from({ Accept: "*/*", "Set-Cookie": ["a=1", "b=2"] });
    expect(h.toRawHeaders()).toEqual(["Accept", "*/*", "Set-Cookie", "a=1", "Set-Cookie", "b=2"]);
    const raw = HeaderMap.fromRawHeaders(["X-A", "1", "x-a", "2"]);
    expect(raw.getAll("X-A")).toEqual(["1", "2"]);
    expect(() => HeaderMap.fromRawHeaders(["X-A"])).toThrow(HttpError);
    expect(() => HeaderMap.fromRawHeaders(["bad name", "1"])).toThrow(HttpError);
    expect(HeaderMap.fromRawHeaders(["bad name", "1"], false).get("bad name")).toBe("1");
  });

  it("forEach and entries walk in wire order with keys", () => {
    const h = HeaderMap.from([
      ["Content-Type", "text/plain"],
      ["X-Y", "z"],
    ]);
    const seen: string[][] = [];
    h.forEach((name, value, key) => {
      seen.push([name, value, key]);
    });
    expect(seen).toEqual([
      ["Content-Type", "text/plain", "content-type"],
      ["X-Y", "z", "x-y"],
    ]);
    expect([...h.entries()]).toEqual([...h]);
  });

  it("clones independently", () => {
    const a = HeaderMap.from([["A", "1"]]);
    const b = a.clone().append("B", "2");
    a.set("A", "changed");
    expect(a.toRawHeaders()).toEqual(["A", "changed"]);
    expect(b.toRawHeaders()).toEqual(["A", "1", "B", "2"]);
  });

  it("appends byte ranges read as latin1 without re-encoding", () => {
    const wire = Buffer.from("X-Name: caf\xe9 \xff\r\n", "latin1");
    const h = new HeaderMap().appendBytes(wire, 0, 6, 8, 14);
    expect(h.get("x-name")).toBe("caf\xe9 \xff");
    expect(h.nameAt(0)).toBe("X-Name");
    const view = new Uint8Array(wire);
    expect(new HeaderMap().appendBytes(view, 0, 6, 8, 14).get("X-NAME")).toBe("caf\xe9 \xff");
  });

  it("validates names and values by default, with a typed error", () => {
    const h = new HeaderMap();
    const bad: [string, string][] = [
      ["", "x"],
      ["Bad Name", "x"],
      ["Bad:Name", "x"],
      ["Bad\r\nName", "x"],
      ["Naïve", "x"],
      ["X", "a\r\nInjected: 1"],
      ["X", "a\nb"],
      ["X", "nul\0"],
      ["X", "del\x7f"],
      ["X", " leading"],
      ["X", "trailing\t"],
      ["X", "snowman \u2603"],
    ];
    for (const [name, value] of bad) {
      expect(() => h.append(name, value)).toThrow(errorWithCode("ZP_INVALID_HTTP_HEADER"));
      expect(() => h.set(name, value)).toThrow(HttpError);
    }
    expect(h.size).toBe(0);
    h.append("X", "").append("Y", "a\tb c").append("Z", "obs-text \xe9\xff").append("!#$%&'*+-.^_`|~09AZaz", "v");
    expect(h.size).toBe(4);
    // The unchecked path trusts its caller.
    h.appendUnchecked("Trusted", " as parsed ");
    expect(h.get("trusted")).toBe(" as parsed ");
    h.setUnchecked("trusted", "x");
    expect(h.getAll("Trusted")).toEqual(["x"]);
  });

  it("computes lookup keys cheaply and consistently", () => {
    const lower = "content-type";
    expect(headerKey(lower)).toBe(lower);
    expect(headerKey("Content-Type")).toBe("content-type");
    expect(headerKey("CONTENT-TYPE")).toBe("content-type");
    expect(headerKey("X-Rare-Header")).toBe("x-rare-header");
    // ASCII case folding only, as for any field name (non-ASCII names come only unchecked).
    expect(headerKey("X-\xc9t\xc9")).toBe("x-\xc9t\xc9");
    expect(headerKey("x-\xc9T")).toBe("x-\xc9t");
    expect(isValidHeaderName("X-Ok")).toBe(true);
    expect(isValidHeaderValue("")).toBe(true);
  });
});

/** A plain model of the semantics HeaderMap promises, for property tests. */
class Model {
  fields: [string, string][] = [];
  key = (n: string): string => n.toLowerCase();
  append(n: string, v: string): void {
    this.fields.push([n, v]);
  }
  set(n: string, v: string): void {
    const i = this.fields.findIndex(([m]) => this.key(m) === this.key(n));
    if (i === -1) return this.append(n, v);
    this.fields[i] = [n, v];
    this.fields = this.fields.filter(([m], j) => j <= i || this.key(m) !== this.key(n));
  }
  remove(n: string): number {
    const before = this.fields.length;
    this.fields = this.fields.filter(([m]) => this.key(m) !== this.key(n));
    return before - this.fields.length;
  }
  getAll(n: string): string[] {
    return this.fields.filter(([m]) => this.key(m) === this.key(n)).map(([, v]) => v);
  }
}

const names = fc.constantFrom("Host", "host", "HOST", "Accept", "accept", "X-A", "x-a", "Set-Cookie", "Vary", "VARY");
const values = fc.stringMatching(/^[!-~](?:[ -~]{0,6}[!-~])?$/);
const op = fc.oneof(
  fc.record({ kind: fc.constant("append" as const), name: names, value: values }),
  fc.record({ kind: fc.constant("set" as const), name: names, value: values }),
  fc.record({ kind: fc.constant("remove" as const), name: names, value: fc.constant("") }),
);

describe("HeaderMap properties", () => {
  it("behaves like the model under any sequence of edits", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), names, (ops, probe) => {
        const map = new HeaderMap();
        const model = new Model();
        for (const o of ops) {
          if (o.kind === "append") {
            map.append(o.name, o.value);
            model.append(o.name, o.value);
          } else if (o.kind === "set") {
            map.set(o.name, o.value);
            model.set(o.name, o.value);
          } else {
            expect(map.remove(o.name)).toBe(model.remove(o.name));
          }
        }
        expect([...map]).toEqual(model.fields);
        expect(map.size).toBe(model.fields.length);
        const all = model.getAll(probe);
        expect(map.getAll(probe)).toEqual(all);
        expect(map.get(probe)).toBe(all[0]);
        expect(map.getJoined(probe)).toBe(all.length === 0 ? undefined : all.join(", "));
        expect(map.has(probe)).toBe(all.length > 0);
      }),
    );
  });

  it("validation accepts exactly RFC 9110 tokens and field values", () => {
    const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
    const valueRe = /^(?:[!-~\x80-\xff](?:[\t -~\x80-\xff]*[!-~\x80-\xff])?)?$/;
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x10f }).map((c) => String.fromCharCode(c)), maxLength: 40 }), (s) => {
        expect(isValidHeaderName(s)).toBe(tokenRe.test(s));
        expect(isValidHeaderValue(s)).toBe(valueRe.test(s));
        if (!isValidHeaderName(s)) expect(() => new HeaderMap().append(s, "v")).toThrow(HttpError);
      }),
      { numRuns: 500 },
    );
  });

  it("validates long values on both sides of the short-value loop", () => {
    const field = fc.array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(field, fc.integer({ min: 0, max: 59 }), fc.constantFrom(0x00, 0x0a, 0x0d, 0x7f, 0x100, 0x2028), (codes, at, bad) => {
        const value = `a${String.fromCharCode(...codes)}z`;
        expect(isValidHeaderValue(value)).toBe(true);
        const i = Math.min(at, value.length - 1);
        const broken = value.slice(0, i) + String.fromCharCode(bad) + value.slice(i + 1);
        expect(isValidHeaderValue(broken)).toBe(false);
      }),
    );
  });
});
