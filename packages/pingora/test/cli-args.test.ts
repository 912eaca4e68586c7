import { describe, expect, it } from "vitest";
import { PingoraError, parseCliArgs } from "../src/index.js";

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(PingoraError);
    expect((err as PingoraError).code).toBe("ZP_CLI_USAGE");
    return (err as Error).message;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("the zp command line", () => {
  it("reads the run, test, demo and help forms", () => {
    expect(parseCliArgs(["-c", "zp.yaml"])).toEqual({ kind: "conf", file: "zp.yaml", test: false, daemon: false, upgrade: false });
    expect(parseCliArgs(["-tc", "zp.yaml"])).toMatchObject({ kind: "conf", file: "zp.yaml", test: true });
    expect(parseCliArgs(["--test", "--conf=zp.yaml", "-d"])).toMatchObject({ test: true, daemon: true });
    expect(parseCliArgs(["--demo"])).toEqual({ kind: "demo", listen: { host: "0.0.0.0", port: 8080 }, admin: { host: "127.0.0.1", port: 9091 } });
    expect(parseCliArgs(["--demo", "--listen", "127.0.0.1:0", "--admin", "off"])).toEqual({ kind: "demo", listen: { host: "127.0.0.1", port: 0 }, admin: false });
    expect(parseCliArgs(["--demo", "--listen", ":9090", "--admin", "[::1]:9"])).toMatchObject({ listen: { host: "0.0.0.0", port: 9090 }, admin: { host: "::1", port: 9 } });
    expect(parseCliArgs(["-h"])).toEqual({ kind: "help", topic: "zp" });
    expect(parseCliArgs(["-V"])).toEqual({ kind: "version" });
  });

  it("reads reverse-proxy with repeated backends", () => {
    expect(parseCliArgs(["reverse-proxy", "--from", "127.0.0.1:8080", "--to", "127.0.0.1:3000", "--to=127.0.0.1:3001", "--lb", "least_conn", "--admin", ":9091"])).toEqual({
      kind: "reverse-proxy",
      from: { host: "127.0.0.1", port: 8080 },
      to: ["127.0.0.1:3000", "127.0.0.1:3001"],
      lb: "least_conn",
      tlsCert: undefined,
      tlsKey: undefined,
      healthPath: undefined,
      admin: { host: "127.0.0.1", port: 9091 },
      retries: 3,
      accessLog: "off",
    });
    expect(parseCliArgs(["reverse-proxy", "--help"])).toEqual({ kind: "help", topic: "reverse-proxy" });
  });

  it("explains what is wrong", () => {
    expect(usageError(["--cof", "x"])).toBe(`unknown option "--cof", did you mean "--conf"?`);
    expect(usageError(["-t"])).toBe("-t needs a configuration file: zp -t --conf zp.yaml");
    expect(usageError(["--conf"])).toBe("option --conf needs a value");
    expect(usageError(["--demo", "-c", "x"])).toBe("--demo and --conf cannot be combined");
    expect(usageError(["--listen", "1"])).toMatch(/^--listen goes with --demo/);
    expect(usageError(["--demo", "--listen", "1.2.3.4:x"])).toBe(`--listen must have a port in 0..65535, got "1.2.3.4:x"`);
    expect(usageError(["reverse-prxy"])).toBe(`unknown command "reverse-prxy", did you mean "reverse-proxy"?`);
    expect(usageError(["reverse-proxy", "--from", ":1"])).toBe("reverse-proxy needs at least one --to <addr:port>");
    expect(usageError(["reverse-proxy", "--to", "a:1", "--tls-cert", "c.pem"])).toBe("--tls-cert and --tls-key go together");
    expect(usageError([])).toMatch(/^nothing to do/);
  });
});
