import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Backend, Backends, LbError, compareBackends } from "@zp/lb";

describe("Backend", () => {
  it("parses IPv4, IPv6 and host names into canonical form", () => {
    const v4 = Backend.parse("10.0.0.1:80");
    expect([v4.address, v4.port, v4.weight, v4.family, v4.endpoint]).toEqual(["10.0.0.1", 80, 1, 4, "10.0.0.1:80"]);
    const v6 = Backend.parse("[2001:DB8:0:0:0:0:0:1]:443", 3);
    expect([v6.address, v6.family, v6.endpoint, v6.weight]).toEqual(["2001:db8::1", 6, "[2001:db8::1]:443", 3]);
    const host = Backend.parse("API.Example.com:8080");
    expect([host.address, host.family, host.endpoint]).toEqual(["api.example.com", 0, "api.example.com:8080"]);
    expect(new Backend({ address: "[::1]", port: 1 }).endpoint).toBe("[::1]:1");
    expect(String(Backend.parse("[::ffff:1.2.3.4]:5"))).toBe("[::ffff:1.2.3.4]:5");
  });

  it("refuses bad addresses, ports and weights with ZP_LB_INVALID_BACKEND", () => {
    for (const bad of ["1.2.3.4", "1.2.3.4:0", "1.2.3.4:65536", "::1:80", "[1.2.3.4]:80", "a b:80", "[fe80::1%eth0]:80", ":80", "-x.com:80"]) {
      expect(() => Backend.parse(bad), bad).toThrow(LbError);
    }
    for (const weight of [0, -1, 1.5, 65536, Number.NaN]) {
      try {
        Backend.parse("1.2.3.4:80", weight);
        expect.unreachable();
      } catch (err) {
        expect((err as LbError).code).toBe("ZP_LB_INVALID_BACKEND");
      }
    }
  });

  it("has an identity of address, port and weight; ext is ignored", () => {
    const a = Backend.parse("1.1.1.1:80", 1, { zone: "a" });
    const b = new Backend({ address: "1.1.1.1", port: 80, ext: { zone: "b" } });
    expect(a.hashKey).toBe(b.hashKey);
    expect(a.equals(b)).toBe(true);
    expect(a.hashKey).toMatch(/^[0-9a-f]{16}$/);
    expect(Backend.parse("1.1.1.1:80", 2).hashKey).not.toBe(a.hashKey);
    expect(Backend.parse("1.1.1.1:81").hashKey).not.toBe(a.hashKey);
    expect(a.withWeight(2).ext).toEqual({ zone: "a" });
    // Stable across processes: a fixed value.
    expect(Backend.parse("1.1.1.1:80").hashKey).toBe(Backend.parse("1.1.1.1:80").hashKey);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it("orders like pingora's BTreeSet: IPv4 by value, then IPv6, then names; port, then weight", () => {
    const list = ["[::1]:80", "10.0.0.1:80", "9.255.255.255:80", "1.0.0.255:80", "1.1.1.1:80", "1.0.0.1:80", "a.example:1", "[::]:80", "1.0.0.1:79"];
    const sorted = Backends.from([...list, Backend.parse("1.0.0.1:80", 5)]).list.map((b) => `${b.endpoint}/${b.weight}`);
    expect(sorted).toEqual([
      "1.0.0.1:79/1", "1.0.0.1:80/1", "1.0.0.1:80/5", "1.0.0.255:80/1", "1.1.1.1:80/1", "9.255.255.255:80/1", "10.0.0.1:80/1", "[::]:80/1", "[::1]:80/1", "a.example:1/1",
    ]);
  });

  it("orders IPv4 addresses numerically (property)", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 1, max: 65535 }), (x, y, port) => {
        const num = (ip: string): number => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
        const a = new Backend({ address: x, port });
        const b = new Backend({ address: y, port });
        expect(Math.sign(compareBackends(a, b))).toBe(Math.sign(num(x) - num(y)));
      }),
    );
  });

  it("orders IPv6 addresses by their 128-bit value (property)", () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), (x, y) => {
        const value = (ip: string): bigint => {
          const b = Backend.parse(`[${ip}]:1`);
          return BigInt(`0x${b.orderKey.slice(1)}`);
        };
        const a = Backend.parse(`[${x}]:1`);
        const b = Backend.parse(`[${y}]:1`);
        const vx = value(x);
        const vy = value(y);
        expect(Math.sign(compareBackends(a, b))).toBe(vx === vy ? 0 : vx < vy ? -1 : 1);
      }),
    );
  });
});

describe("Backends", () => {
  it("drops duplicates (first kept), compares by identity, and adds/removes/reweights immutably", () => {
    const set = Backends.from([Backend.parse("1.1.1.1:80", 1, "first"), Backend.parse("1.1.1.1:80", 1, "second"), "2.2.2.2:80"]);
    expect(set.size).toBe(2);
    expect(set.get(Backend.parse("1.1.1.1:80"))?.ext).toBe("first");
    expect(set.equals(Backends.from(["2.2.2.2:80", "1.1.1.1:80"]))).toBe(true);
    expect(set.add("1.1.1.1:80")).toBe(set);
    const bigger = set.add("3.3.3.3:80");
    expect(bigger.size).toBe(3);
    expect(set.size).toBe(2);
    expect(bigger.remove("3.3.3.3:80").equals(set)).toBe(true);
    const heavier = set.reweight("1.1.1.1:80", 4);
    expect(heavier.get(Backend.parse("1.1.1.1:80", 4))?.ext).toBe("first");
    expect(heavier.equals(set)).toBe(false);
    expect(set.reweight("9.9.9.9:80", 4)).toBe(set);
    expect(set.indexOf(Backend.parse("2.2.2.2:80"))).toBe(1);
    expect(set.atEndpoint("1.1.1.1:80")).toHaveLength(1);
    expect([...set].map(String)).toEqual(["1.1.1.1:80", "2.2.2.2:80"]);
  });
});
