// The dependency rule of the workspace: a package may depend on, and import, only
// @zp packages of a lower level, and may import only packages it declares.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";

const builtins = new Set(builtinModules);
const sourceExtensions = /\.(?:[cm]?[jt]s|tsx)$/;
const dependencyFields = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"];

/**
 * Level of a package: a number, or Infinity for "meta" (the umbrella package).
 * @returns {number | undefined}
 */
export function parseLevel(value) {
  if (value === "meta") return Number.POSITIVE_INFINITY;
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The bare package name of an import specifier, or undefined for relative/builtin ones. */
export function packageNameOf(specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("#")) return undefined;
  if (specifier.startsWith("node:") || builtins.has(specifier) || builtins.has(specifier.split("/")[0])) return undefined;
  if (/^[a-z]+:/i.test(specifier)) return undefined; // data:, file:, virtual ids
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Import specifiers in a source text: static imports/exports, dynamic import() and require(). */
export function importsOf(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*${}\s,]+\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name === "fixtures") continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (sourceExtensions.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/**
 * Checks every package under `<root>/packages`. Returns the violations found (empty when the
 * graph is clean), each `{ package, kind, message }`.
 */
export function checkGraph(root) {
  const violations = [];
  const packagesDir = join(root, "packages");
  const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const toolingDeps = new Set(Object.keys(rootManifest.devDependencies ?? {}));
  const manifests = new Map();
  for (const dir of readdirSync(packagesDir)) {
    const file = join(packagesDir, dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    manifests.set(manifest.name, { dir: join(packagesDir, dir), manifest });
  }
  const report = (pkg, kind, message) => violations.push({ package: pkg, kind, message });

  for (const [name, { dir, manifest }] of manifests) {
    const level = parseLevel(manifest.zp?.level);
    if (level === undefined) {
      report(name, "level", `${name}: package.json needs "zp": { "level": <integer >= 0 | "meta"> }`);
      continue;
    }
    const runtimeDeps = new Set();
    const allDeps = new Set();
    for (const field of dependencyFields) {
      for (const dep of Object.keys(manifest[field] ?? {})) {
        allDeps.add(dep);
        if (field !== "devDependencies") runtimeDeps.add(dep);
        if (!dep.startsWith("@zp/")) continue;
        const target = manifests.get(dep);
        if (!target) {
          report(name, "unknown", `${name} ${field} names ${dep}, which is not a workspace package`);
          continue;
        }
        const targetLevel = parseLevel(target.manifest.zp?.level);
        if (targetLevel !== undefined && targetLevel >= level) {
          report(
            name,
            "level",
            `${name} (level ${manifest.zp.level}) ${field} names ${dep} (level ${target.manifest.zp.level}): only lower levels are allowed`,
          );
        }
      }
    }
    for (const file of walk(dir)) {
      const rel = relative(dir, file);
      const isSource = rel.startsWith("src/") || rel.startsWith(`src\\`);
      const allowed = isSource ? runtimeDeps : allDeps;
      for (const specifier of importsOf(readFileSync(file, "utf8"))) {
        const dep = packageNameOf(specifier);
        if (dep === undefined || dep === name) continue;
        if (allowed.has(dep)) continue;
        if (!isSource && toolingDeps.has(dep)) continue;
        const declaredAsDev = isSource && allDeps.has(dep);
        report(
          name,
          "undeclared",
          `${name}/${rel} imports ${specifier}, but ${dep} is not declared in ${declaredAsDev ? "dependencies (only in devDependencies)" : isSource ? "dependencies" : "dependencies or devDependencies"}`,
        );
      }
    }
  }
  return violations;
}
