import { describe, expect, it } from "vitest";
import { parseContentLength } from "../src/index.js";

describe("parseContentLength", () => {
  it("reads plain decimal lengths", () => {
    expect(parseContentLength("0")).toBe(0);
    expect(parseContentLength("13")).toBe(13);
    expect(parseContentLength("000042")).toBe(42);
    expect(parseContentLength("999999999999999")).toBe(999999999999999);
  });

  it.each(["", "-1", "+1", " 1", "1 ", "1,1", "0x10", "1e3", "1.0", "9999999999999999"])("rejects %j", (value) => {
    expect(parseContentLength(value)).toBe(-1);
  });
});
