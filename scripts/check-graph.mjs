#!/usr/bin/env node
// `pnpm check:graph [root]`: fails when a package breaks the level rule or imports what it does not declare.
import { resolve, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkGraph } from "./lib/graph.mjs";

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
const violations = checkGraph(root);
if (violations.length > 0) {
  for (const v of violations) console.error(`✗ [${v.kind}] ${v.message}`);
  console.error(`dependency graph: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log("dependency graph: ok");
