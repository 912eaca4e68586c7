#!/usr/bin/env node
// Runs every package's examples/basic.ts against its sources and reports which failed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let failed = 0;
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const pkgDir = join(root, "packages", dir);
  const example = join(pkgDir, "examples", "basic.ts");
  if (!existsSync(example)) continue;
  const { name } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  console.log(`\n── ${name} ──`);
  const r = spawnSync(process.execPath, ["--conditions=@zp/source", "--import", "tsx", example], {
    cwd: pkgDir,
    stdio: "inherit",
    timeout: 60_000,
  });
  if (r.status !== 0) {
    failed++;
    console.error(`✗ ${name} example failed`);
  }
}
process.exit(failed ? 1 : 0);
