import { describe, expect, it } from "vitest";
import { type ContentEncoding, negotiateEncoding } from "../../src/modules/index.js";

describe("negotiateEncoding", () => {
  const table: [string | undefined, ContentEncoding | undefined][] = [
    [undefined, undefined],
    ["", undefined],
    ["gzip", "gzip"],
    ["br", "br"],
    ["gzip, deflate, br, zstd", "br"], // browsers: equal q, our preference decides
    ["gzip, br", "br"],
    ["deflate", undefined],
    ["identity", undefined],
    ["*", "br"],
    ["*;q=0", undefined],
    ["br;q=0, *", "gzip"],
    ["br;q=0, gzip;q=0", undefined],
    ["br;q=0", undefined],
    ["br;q=0.5, gzip;q=0.8", "gzip"],
    ["br;q=0.8, gzip;q=0.8", "br"],
    ["gzip;q=1.0, br;q=0.999", "gzip"],
    ["GZIP", "gzip"],
    ["Br;Q=0.9, Gzip;q=0.1", "br"],
    ["x-gzip", "gzip"],
    ["gzip ; q=0.5 , br ; q = 0.4", "gzip"],
    ["gzip;q=0.5", "gzip"], // identity not mentioned: compression wins
    ["gzip;q=0.5, identity", undefined], // identity explicitly preferred
    ["gzip;q=0.5, identity;q=0.5", "gzip"], // ties go to compression
    ["gzip, identity;q=0", "gzip"],
    ["identity;q=0", undefined], // nothing acceptable: sent as is, no 406
    ["*;q=0.5, br;q=0.4", "gzip"], // gzip through *, identity through * ties
    ["*;q=0.5, br;q=0.4, gzip;q=0.3", undefined], // identity through * is preferred
    ["gzip;q=2", undefined], // malformed q counts as 0
    ["gzip;q=abc, br", "br"],
    ["gzip;q=0.0001", undefined], // more than three decimals: malformed
    ["gzip;level=1;q=0.5", "gzip"],
    ["gzip;qq=0", "gzip"], // not the q parameter
    [",, gzip ,", "gzip"],
    ["compress, br;q=0", undefined],
  ];
  it.each(table)("%j -> %s", (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  it("follows the server's order and set of codings", () => {
    expect(negotiateEncoding("gzip, br", ["gzip", "br"])).toBe("gzip");
    expect(negotiateEncoding("gzip;q=0.5, br", ["gzip", "br"])).toBe("br");
    expect(negotiateEncoding("br", ["gzip"])).toBe(undefined);
    expect(negotiateEncoding("gzip, br", [])).toBe(undefined);
  });
});
