#!/usr/bin/env node
// Runs the benchmark suites in bench/suites: `pnpm bench` runs all, `pnpm bench lru` one package's.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const suitesDir = join(root, "bench", "suites");
const wanted = process.argv.slice(2).map((a) => a.replace(/^@zp\//, ""));
const suites = readdirSync(suitesDir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  .filter((s) => wanted.length === 0 || wanted.some((w) => s === w || s.startsWith(`${w}-`)))
  .sort();
if (suites.length === 0) {
  console.error(`no benchmark suite matches ${wanted.join(", ")}`);
  process.exit(1);
}
let failed = 0;
for (const suite of suites) {
  console.log(`\n# ${suite}`);
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", "--conditions=@zp/source", "--import", "tsx", join(suitesDir, `${suite}.bench.ts`)],
    { stdio: "inherit", cwd: join(root, "bench") },
  );
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
