import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { checkGraph, importsOf, packageNameOf } from "../lib/graph.mjs";

interface Pkg {
  name: string;
  level: number | string | undefined;
  deps?: Record<string, string>;
  devDeps?: Record<string, string>;
  files?: Record<string, string>;
}

function workspace(pkgs: Pkg[]): string {
  const root = mkdtempSync(join(tmpdir(), "zp-graph-"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "ws", devDependencies: { vitest: "4" } }));
  for (const p of pkgs) {
    const dir = join(root, "packages", p.name.replace("@zp/", ""));
    mkdirSync(join(dir, "src"), { recursive: true });
    mkdirSync(join(dir, "test"), { recursive: true });
    const manifest: Record<string, unknown> = { name: p.name, dependencies: p.deps ?? {}, devDependencies: p.devDeps ?? {} };
    if (p.level !== undefined) manifest.zp = { level: p.level };
    writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
    for (const [file, text] of Object.entries(p.files ?? { "src/index.ts": "export {};\n" })) {
      writeFileSync(join(dir, file), text);
    }
  }
  return root;
}

const scriptPath = new URL("../check-graph.mjs", import.meta.url).pathname;

describe("check-graph", () => {
  it("accepts edges to lower levels", () => {
    const root = workspace([
      { name: "@zp/error", level: 0 },
      { name: "@zp/http", level: 1, deps: { "@zp/error": "workspace:*" }, files: { "src/index.ts": 'import { ZpError } from "@zp/error";\nimport { Socket } from "node:net";\nimport "./local.js";\n' } },
      { name: "@zp/pingora", level: "meta", deps: { "@zp/http": "workspace:*" } },
    ]);
    expect(checkGraph(root)).toEqual([]);
    expect(execFileSync(process.execPath, [scriptPath, root], { encoding: "utf8" })).toContain("ok");
  });

  it("catches a dependency on the same level", () => {
    const root = workspace([
      { name: "@zp/lru", level: 0 },
      { name: "@zp/ketama", level: 0, deps: { "@zp/lru": "workspace:*" } },
    ]);
    const v = checkGraph(root);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ package: "@zp/ketama", kind: "level" });
  });

  it("catches a dependency on a higher level and fails the command", () => {
    const root = workspace([
      { name: "@zp/error", level: 0, deps: { "@zp/proxy": "workspace:*" } },
      { name: "@zp/proxy", level: 5, deps: { "@zp/error": "workspace:*" } },
    ]);
    expect(checkGraph(root).map((x: { package: string }) => x.package)).toEqual(["@zp/error"]);
    let status = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, [scriptPath, root], { encoding: "utf8", stdio: "pipe" });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: string }).stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toContain("@zp/error (level 0) dependencies names @zp/proxy (level 5)");
  });

  it("catches imports of packages that are not declared", () => {
    const root = workspace([
      { name: "@zp/error", level: 0 },
      {
        name: "@zp/http",
        level: 1,
        devDeps: { "fast-check": "4" },
        files: {
          "src/index.ts": 'export { ZpError } from "@zp/error";\nconst y = await import("yaml");\nimport fc from "fast-check";\n',
          "test/a.test.ts": 'import fc from "fast-check";\nimport { it } from "vitest";\nimport x from "lodash/get";\n',
        },
      },
    ]);
    const messages = checkGraph(root).map((x: { message: string }) => x.message);
    expect(messages).toHaveLength(4);
    expect(messages.some((m: string) => m.includes("imports @zp/error"))).toBe(true);
    expect(messages.some((m: string) => m.includes("imports yaml"))).toBe(true);
    expect(messages.some((m: string) => m.includes("imports fast-check") && m.includes("only in devDependencies"))).toBe(true);
    expect(messages.some((m: string) => m.includes("test/a.test.ts imports lodash/get"))).toBe(true);
  });

  it("requires a level", () => {
    const root = workspace([{ name: "@zp/x", level: undefined }]);
    expect(checkGraph(root)[0]).toMatchObject({ kind: "level" });
  });

  it("parses import forms and ignores comments", () => {
    const text = [
      'import a from "a";',
      'import type { B } from "@s/b/deep";',
      'export * from "c";',
      'export { d } from "d";',
      'const e = await import("e");',
      'const f = require("f");',
      '// import g from "g";',
      '/* import h from "h"; */',
      'import "side-effect";',
    ].join("\n");
    expect(importsOf(text).sort()).toEqual(["@s/b/deep", "a", "c", "d", "e", "f", "side-effect"]);
    expect(packageNameOf("@s/b/deep")).toBe("@s/b");
    expect(packageNameOf("node:fs")).toBeUndefined();
    expect(packageNameOf("fs/promises")).toBeUndefined();
    expect(packageNameOf("./x.js")).toBeUndefined();
  });

  it("passes on this repository", () => {
    const repoRoot = new URL("../..", import.meta.url).pathname;
    expect(checkGraph(repoRoot)).toEqual([]);
  });
});
