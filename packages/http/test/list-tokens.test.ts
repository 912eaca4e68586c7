import { describe, expect, it } from "vitest";
import { equalsLowercase, hasListToken, lastListTokenIs } from "@zp/http";

describe("comma-separated lists", () => {
  it("finds members ignoring ASCII case and the whitespace around them", () => {
    expect(hasListToken("a, B ,c", "b")).toBe(true);
    expect(hasListToken("a,\tno-transform\t", "no-transform")).toBe(true);
    expect(hasListToken("keep-alive, Close", "close")).toBe(true);
    expect(hasListToken("CLOSE", "close")).toBe(true);
    expect(hasListToken("no-transformed", "no-transform")).toBe(false);
    expect(hasListToken("closed, unclose", "close")).toBe(false);
    expect(hasListToken("", "a")).toBe(false);
  });

  it("tells the last member", () => {
    expect(lastListTokenIs("gzip, chunked", "chunked")).toBe(true);
    expect(lastListTokenIs("gzip, Chunked \t", "chunked")).toBe(true);
    expect(lastListTokenIs("chunked, gzip", "chunked")).toBe(false);
    expect(lastListTokenIs("chunked", "chunked")).toBe(true);
    expect(lastListTokenIs("", "chunked")).toBe(false);
  });

  it("folds only A-Z", () => {
    expect(equalsLowercase("Content-Length", "content-length")).toBe(true);
    expect(equalsLowercase("A~B", "a^b")).toBe(false); // `~` and `^` differ by the bit 0x20
    expect(equalsLowercase("Ä", "ä")).toBe(false);
    expect(equalsLowercase("date", "dates")).toBe(false);
  });
});
