import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Fnv64 } from "@zp/lb";

const MASK = (1n << 64n) - 1n;

function reference(bytes: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & MASK;
  return h;
}

const value = (h: Fnv64): bigint => (BigInt(h.hi) << 32n) | BigInt(h.lo);

describe("Fnv64", () => {
  it("matches the published FNV-1a 64 values", () => {
    expect(new Fnv64().hex()).toBe("cbf29ce484222325");
    expect(new Fnv64().string("a").hex()).toBe("af63dc4c8601ec8c");
    expect(new Fnv64().string("foobar").hex()).toBe("85944171f73967e8");
  });

  it("equals a BigInt reference over bytes and strings (UTF-8), and its modulo is exact", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.integer({ min: 1, max: 2 ** 36 }), (text, n) => {
        const bytes = new TextEncoder().encode(text);
        const h = new Fnv64().string(text);
        expect(value(h)).toBe(reference(bytes));
        expect(value(new Fnv64().bytes(bytes))).toBe(reference(bytes));
        expect(BigInt(h.mod(n))).toBe(reference(bytes) % BigInt(n));
      }),
    );
  });

  it("rehash feeds the little-endian bytes of the current value (pingora's fallback step)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) => {
        const h = new Fnv64().bytes(bytes);
        const le = new Uint8Array(8);
        new DataView(le.buffer).setBigUint64(0, value(h), true);
        expect(value(h.rehash())).toBe(reference(le));
      }),
    );
  });
});
