import { describe, expect, it } from "vitest";
import { KetamaError, canonicalIp, parseBucket, parseBuckets } from "../src/index.js";

describe("parseBucket", () => {
  it("parses ip:port and [v6]:port", () => {
    expect(parseBucket("10.0.0.1:443")).toEqual({ address: "10.0.0.1", port: 443, weight: 1 });
    expect(parseBucket("[::1]:8080", 3)).toEqual({ address: "::1", port: 8080, weight: 3 });
    expect(parseBucket("[2001:DB8:0:0:0:0:0:1]:80").address).toBe("2001:db8::1");
    expect(parseBuckets(["1.2.3.4:1", "[::]:2"], 2)).toEqual([
      { address: "1.2.3.4", port: 1, weight: 2 },
      { address: "::", port: 2, weight: 2 },
    ]);
  });

  it("rejects malformed input with stable codes", () => {
    for (const bad of ["10.0.0.1", "10.0.0.1:", ":80", "::1:80", "[10.0.0.1]:80", "host.example:80", "10.0.0.1:x", "[::1]:123456", "10.0.0.256:1"]) {
      expect(() => parseBucket(bad), bad).toThrow(KetamaError);
      try {
        parseBucket(bad);
      } catch (err) {
        expect((err as KetamaError).code).toBe("ZP_KETAMA_INVALID_ADDRESS");
      }
    }
    expect(() => parseBucket("10.0.0.1:65536")).toThrow(expect.objectContaining({ code: "ZP_KETAMA_INVALID_BUCKET" }));
    expect(() => parseBucket("10.0.0.1:80", 0)).toThrow(expect.objectContaining({ code: "ZP_KETAMA_INVALID_BUCKET" }));
    expect(() => parseBucket("10.0.0.1:80", 1.5)).toThrow(expect.objectContaining({ code: "ZP_KETAMA_INVALID_BUCKET" }));
  });
});

describe("canonicalIp", () => {
  it("writes IPv6 like Rust's Ipv6Addr Display (what pingora hashes)", () => {
    const cases: [string, string][] = [
      ["0:0:0:0:0:0:0:1", "::1"],
      ["0:0:0:0:0:0:0:0", "::"],
      ["[::1]", "::1"],
      ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // first of two equal runs
      ["1:0:0:2:0:0:0:3", "1:0:0:2::3"], // the longest run
      ["1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"], // a single zero group stays
      ["fe80:0000:0000:0000:0000:0000:0000:0000", "fe80::"],
      ["::ffff:10.0.0.1", "::ffff:10.0.0.1"],
      ["::ffff:a00:1", "::ffff:10.0.0.1"],
      ["::1.2.3.4", "::102:304"],
      ["64:ff9b::1.2.3.4", "64:ff9b::102:304"],
      ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ];
    for (const [input, want] of cases) expect(canonicalIp(input), input).toBe(want);
  });

  it("keeps IPv4 dotted decimal and rejects non-IPs", () => {
    expect(canonicalIp("127.0.0.1")).toBe("127.0.0.1");
    expect(() => canonicalIp("localhost")).toThrow(expect.objectContaining({ code: "ZP_KETAMA_INVALID_ADDRESS" }));
    expect(() => canonicalIp("fe80::1%eth0")).toThrow(KetamaError);
  });
});
