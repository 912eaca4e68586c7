import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The version of `@zp/pingora`, read from its package.json (found from this module upwards). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "@zp/pingora" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not here: look in the parent directory
    }
    dir = dirname(dir);
  }
  return "unknown";
}
