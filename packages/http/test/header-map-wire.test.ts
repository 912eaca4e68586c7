import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeaderKeySet, HeaderMap, PreparedField } from "@zp/http";

/**
 * Wire bytes of `fields` (after a request line) and the offsets a parser would find. Field
 * `i` is written `name:value` with the spacing `spacing[i]` picks (canonical `: ` and CRLF
 * or other whitespace around the value), so both ways of writing fields out are exercised.
 */
function wire(fields: readonly [string, string][], spacing: readonly number[] = []): { buf: Buffer; offsets: number[] } {
  const offsets: number[] = [];
  let text = "GET / HTTP/1.1\r\n";
  fields.forEach(([name, value], i) => {
    const style = spacing[i] ?? 0;
    offsets.push(text.length, text.length + name.length);
    text += `${name}${style === 1 ? ":" : style === 2 ? ":  " : ": "}`;
    offsets.push(text.length, text.length + value.length);
    text += `${value}${style === 3 ? " " : ""}\r\n`;
  });
  return { buf: Buffer.from(`${text}\r\n`, "latin1"), offsets };
}

const NAMES = ["Host", "host", "HOST", "Connection", "Keep-Alive", "X-Custom", "x-custom", "X-CUSTOM", "Content-Length", "Via", "a^b", "A~B", "Set-Cookie", "té"];
const name = fc.constantFrom(...NAMES);
const value = fc.string({ unit: fc.constantFrom("a", "b", "A", "B", " ", "é", "É", "1", ",", "x".repeat(40)), maxLength: 6 });

type Op =
  | { op: "get" | "getJoined" | "getAll" | "has" | "remove"; name: string }
  | { op: "indexOf"; name: string; from: number }
  | { op: "set" | "append"; name: string; value: string }
  | { op: "setPrepared" | "appendPrepared"; name: string; value: string }
  | { op: "at"; index: number }
  | { op: "keyAt"; index: number }
  | { op: "clone" }
  | { op: "except"; names: string[] }
  | { op: "present"; names: string[] }
  | { op: "valueIs"; index: number; lower: string }
  | { op: "match"; names: string[] }
  | { op: "removeAt"; index: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom("get" as const, "getJoined" as const, "getAll" as const, "has" as const, "remove" as const), name }),
  fc.record({ op: fc.constant("indexOf" as const), name, from: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ op: fc.constantFrom("set" as const, "append" as const), name, value }),
  fc.record({
    op: fc.constantFrom("setPrepared" as const, "appendPrepared" as const),
    name: fc.constantFrom(...NAMES.filter((n) => n !== "té")),
    value: fc.constantFrom("", "a", "b 1", "é", "x".repeat(40)),
  }),
  fc.record({ op: fc.constant("at" as const), index: fc.integer({ min: -1, max: 8 }) }),
  fc.record({ op: fc.constant("keyAt" as const), index: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ op: fc.constant("clone" as const) }),
  fc.record({ op: fc.constant("except" as const), names: fc.subarray(["host", "connection", "keep-alive", "x-custom", "a^b", "té"]) }),
  fc.record({ op: fc.constant("present" as const), names: fc.subarray(["host", "connection", "keep-alive", "x-custom", "a~b", "té", "via"]) }),
  fc.record({ op: fc.constant("match" as const), names: fc.subarray(["host", "connection", "keep-alive", "x-custom", "a~b", "té", "via"]) }),
  fc.record({ op: fc.constant("removeAt" as const), index: fc.integer({ min: -1, max: 8 }) }),
  fc.record({ op: fc.constant("valueIs" as const), index: fc.integer({ min: -1, max: 8 }), lower: fc.constantFrom("", "a", "ab", "b a", "é", "1,", "keep-alive") }),
);

/**
 * Applies `o` to `map` and returns what an observer sees (and the map to go on with).
 * `prepared`: prepared-field operations use a {@link PreparedField}, else the string ones.
 */
function apply(map: HeaderMap, o: Op, prepared = false): [unknown, HeaderMap] {
  switch (o.op) {
    case "get":
      return [map.get(o.name), map];
    case "getJoined":
      return [map.getJoined(o.name), map];
    case "getAll":
      return [map.getAll(o.name), map];
    case "has":
      return [map.has(o.name), map];
    case "remove":
      return [map.remove(o.name), map];
    case "indexOf":
      return [map.indexOf(o.name, o.from), map];
    case "set":
      return [map.setUnchecked(o.name, o.value).size, map];
    case "append":
      return [map.appendUnchecked(o.name, o.value).size, map];
    case "setPrepared":
      return [(prepared ? map.setPrepared(new PreparedField(o.name, o.value)) : map.setUnchecked(o.name, o.value)).size, map];
    case "appendPrepared":
      return [(prepared ? map.appendPrepared(new PreparedField(o.name, o.value)) : map.appendUnchecked(o.name, o.value)).size, map];
    case "at":
      return [[map.nameAt(o.index), map.valueAt(o.index)], map];
    case "keyAt":
      return [map.keyAt(o.index), map];
    case "valueIs":
      return [map.valueIs(o.index, o.lower), map];
    case "match": {
      const out: number[] = [];
      const mask = map.matchKeys(new HeaderKeySet(o.names), out);
      return [[mask, out.slice(0, map.size)], map];
    }
    case "removeAt":
      map.removeAt(o.index);
      return [map.size, map];
    case "clone": {
      const copy = map.clone();
      // the copy must see none of this
      map.remove(map.nameAt(0) ?? "none");
      map.appendUnchecked("X-After-Clone", "1");
      return [copy.size, copy];
    }
    case "present":
      return [map.presentKeys(new HeaderKeySet(o.names)), map];
    case "except": {
      const out = Buffer.alloc(map.encodedLength(o.names));
      const end = map.writeInto(out, 0, o.names);
      return [[end, out.toString("latin1")], map];
    }
  }
}

function serialise(map: HeaderMap): string {
  const out = Buffer.alloc(map.encodedLength());
  map.writeInto(out, 0);
  return out.toString("latin1");
}

describe("HeaderMap.fromWire", () => {
  it("behaves exactly as a map built from strings, under any sequence of operations", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 8 }), fc.array(op, { maxLength: 12 }), (fields, spacing, ops) => {
        const { buf, offsets } = wire(fields, spacing);
        let raw = HeaderMap.fromWire(buf, offsets, fields.length);
        let strings = new HeaderMap();
        for (const [n, v] of fields) strings.appendUnchecked(n, v);
        expect(raw.size).toBe(strings.size);
        for (const o of ops) {
          // the wire map uses prepared fields, the string map plain strings: both must agree
          const [seenRaw, nextRaw] = apply(raw, o, true);
          const [seenStrings, nextStrings] = apply(strings, o);
          expect(seenRaw).toEqual(seenStrings);
          raw = nextRaw;
          strings = nextStrings;
          expect(raw.size).toBe(strings.size);
          expect(serialise(raw)).toBe(serialise(strings));
        }
        expect([...raw]).toEqual([...strings]);
        expect(raw.toRawHeaders()).toEqual(strings.toRawHeaders());
      }),
      { numRuns: 3000 },
    );
  });

  it("makes no string until asked, never writes to the offsets it was given, and copies the bytes when writing", () => {
    const { buf, offsets } = wire([
      ["Content-Type", "text/plain"],
      ["Connection", "keep-alive"],
      ["X-Long", "v".repeat(100)],
    ]);
    const before = offsets.slice();
    const map = HeaderMap.fromWire(buf, offsets, 3);
    const twin = HeaderMap.fromWire(buf, offsets, 3); // the same arrays, shared
    expect(map.remove("connection")).toBe(1);
    expect(offsets).toEqual(before); // never written to
    expect(twin.get("connection")).toBe("keep-alive");
    map.appendUnchecked("Via", "1.1 zp");
    expect(serialise(map)).toBe(`Content-Type: text/plain\r\nX-Long: ${"v".repeat(100)}\r\nVia: 1.1 zp\r\n`);
    expect(map.get("CONTENT-TYPE")).toBe("text/plain");
    // `^` and `~` differ by the bit a careless lowercasing would clear
    const odd = wire([["a^b", "1"]]);
    expect(HeaderMap.fromWire(odd.buf, odd.offsets, 1).has("a~b")).toBe(false);
  });
});

describe("PreparedField", () => {
  it("validates once, is shared by maps without being changed by them, and writes its line as given", () => {
    expect(() => new PreparedField("Bad Name", "1")).toThrow(/invalid header name/);
    expect(() => new PreparedField("X-Ok", "a\r\nInjected: 1")).toThrow();
    const field = new PreparedField("X-Forwarded-Proto", "https");
    expect([field.name, field.value]).toEqual(["X-Forwarded-Proto", "https"]);
    const { buf, offsets } = wire([
      ["x-forwarded-proto", "http"],
      ["Host", "a"],
      ["X-Forwarded-Proto", "ftp"],
    ]);
    const a = HeaderMap.fromWire(buf, offsets, 3).setPrepared(field);
    const b = new HeaderMap().appendPrepared(field).appendPrepared(field);
    expect(serialise(a)).toBe("X-Forwarded-Proto: https\r\nHost: a\r\n");
    expect(serialise(b)).toBe("X-Forwarded-Proto: https\r\nX-Forwarded-Proto: https\r\n");
    a.set("x-forwarded-proto", "changed"); // the map's field is replaced, the prepared one stays
    expect(b.getAll("X-FORWARDED-PROTO")).toEqual(["https", "https"]);
    expect(new HeaderMap().appendPrepared(field).get("x-forwarded-proto")).toBe("https");
  });
});

describe("HeaderKeySet", () => {
  it("groups its names by length and refuses what presentKeys and matchKeys cannot use", () => {
    const set = new HeaderKeySet(["te", "connection", "keep-alive", "upgrade"]);
    expect(set.keys).toEqual(["te", "connection", "keep-alive", "upgrade"]);
    expect(set.byLength[2]).toBe(0b0001);
    expect(set.byLength[10]).toBe(0b0110);
    expect(set.byLength[7]).toBe(0b1000);
    expect(set.byLength.length).toBe(11);
    expect(() => new HeaderKeySet(["Connection"])).toThrow(TypeError);
    expect(() => new HeaderKeySet([""])).toThrow(TypeError);
    expect(() => new HeaderKeySet(Array.from({ length: 32 }, (_, i) => `x-${i}`))).toThrow(RangeError);
  });

  it("matches a wire map's fields and later string fields, of any case, only against names of their length", () => {
    const wire = Buffer.from("CONNECTION: keep-alive\r\nTE: trailers\r\nX-Other: 1\r\nKeep-Alive: 5\r\n", "latin1");
    const map = HeaderMap.fromWire(wire, [0, 10, 12, 22, 24, 26, 28, 36, 38, 45, 47, 48, 50, 60, 62, 63], 4);
    map.appendUnchecked("Upgrade", "h2c");
    const out: number[] = [];
    const mask = map.matchKeys(new HeaderKeySet(["te", "connection", "keep-alive", "upgrade"]), out);
    expect(out.slice(0, map.size)).toEqual([1, 0, -1, 2, 3]);
    expect(mask).toBe(0b1111);
  });
});
