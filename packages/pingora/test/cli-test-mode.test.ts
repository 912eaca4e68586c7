import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { killAll, runZp } from "./helpers/zp-process.js";

const dir = mkdtempSync(join(tmpdir(), "zp-pingora-cli-"));
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe("zp -t", () => {
  it("accepts the shipped example configuration", async () => {
    const { code, stdout } = await runZp(["-t", "--conf", "examples/zp.yaml"]);
    expect(code).toBe(0);
    expect(stdout).toContain("configuration OK");
  });

  it("lists every error with its key path and exits 1", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      `threads: 0
proxy:
  listeners: [{ address: 127.0.0.1, port: 8080 }]
  upstreams:
    api:
      backends: ["127.0.0.1:3000", { address: "127.0.0.1:3001", weight: 70000 }]
      algoritm: round_robin
  routes:
    - { upstream: apx }
`,
    );
    const { code, stdout, stderr } = await runZp(["--test", "-c", file]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`zp: configuration test failed: invalid server configuration (${file}):`);
    expect(stderr).toContain("  threads: must be a positive integer");
    expect(stderr).toContain("  proxy.upstreams.api.backends[1].weight: must be an integer in 1..65535, got 70000 (line 6)");
    expect(stderr).toContain(`  proxy.upstreams.api.algoritm: unknown key, did you mean "algorithm"? (line 7)`);
    expect(stderr).toContain(`  proxy.routes[0].upstream: unknown upstream group "apx", did you mean "api"? (line 9)`);
  });

  it("reports a file it cannot read", async () => {
    const { code, stderr } = await runZp(["-t", "-c", join(dir, "missing.yaml")]);
    expect(code).toBe(1);
    expect(stderr).toContain("cannot read server configuration");
  });
});

describe("zp --help, --version and usage errors", () => {
  it("prints help and version", async () => {
    const help = await runZp(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("zp --conf <zp.yaml>");
    expect(help.stdout).toContain("zp reverse-proxy --from");
    const version = await runZp(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^zp \d+\.\d+\.\d+/);
  });

  it("exits 2 on a bad command line", async () => {
    const { code, stderr } = await runZp(["--demo", "--lisen", "127.0.0.1:0"]);
    expect(code).toBe(2);
    expect(stderr).toContain(`unknown option "--lisen", did you mean "--listen"?`);
  });
});
