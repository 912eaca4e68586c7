import { describe, expect, it } from "vitest";
import { ServerArgsError, parseServerArgs } from "../src/index.js";

describe("parseServerArgs", () => {
  it("has Pingora's defaults", () => {
    expect(parseServerArgs([])).toEqual({ conf: null, test: false, upgrade: false, daemon: false, help: false, nocapture: false, rest: [] });
  });

  it("reads the long and short forms", () => {
    expect(parseServerArgs(["--conf", "a.yaml", "--test", "--upgrade", "--daemon"])).toMatchObject({ conf: "a.yaml", test: true, upgrade: true, daemon: true });
    expect(parseServerArgs(["-c", "a.yaml", "-t", "-u", "-d"])).toMatchObject({ conf: "a.yaml", test: true, upgrade: true, daemon: true });
    expect(parseServerArgs(["--conf=b.yaml"]).conf).toBe("b.yaml");
    expect(parseServerArgs(["-cb.yaml"]).conf).toBe("b.yaml");
    expect(parseServerArgs(["-h"]).help).toBe(true);
    expect(parseServerArgs(["--nocapture"]).nocapture).toBe(true);
  });

  it("combines short flags, the file name last", () => {
    expect(parseServerArgs(["-td", "-uc", "c.yaml"])).toMatchObject({ test: true, daemon: true, upgrade: true, conf: "c.yaml" });
  });

  it("keeps operands and everything after --", () => {
    expect(parseServerArgs(["extra", "-t", "--", "-d", "--conf"]).rest).toEqual(["extra", "-d", "--conf"]);
    expect(parseServerArgs(["--", "-d"]).daemon).toBe(false);
  });

  it("rejects unknown options with a suggestion, and a missing file name", () => {
    expect(() => parseServerArgs(["--confg", "x"])).toThrow('unknown option "--confg", did you mean "--conf"?');
    expect(() => parseServerArgs(["-x"])).toThrow('unknown option "-x" in "-x"');
    expect(() => parseServerArgs(["-c"])).toThrow("option -c needs a configuration file path");
    expect(() => parseServerArgs(["--conf", "--test"])).toThrow("option --conf needs a configuration file path");
    expect(() => parseServerArgs(["--test=yes"])).toThrow("option --test takes no value");
    expect(() => parseServerArgs(["--bogus"])).toThrow(expect.objectContaining({ name: "ServerArgsError", code: "ZP_ARGS_INVALID" }));
    expect(() => parseServerArgs(["--bogus"])).toThrow(ServerArgsError);
  });
});
