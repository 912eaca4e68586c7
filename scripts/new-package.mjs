#!/usr/bin/env node
// Scaffolds packages/<name> with the workspace conventions:
//   node scripts/new-package.mjs <name> <level> "<description>"
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const [name, levelArg, description = ""] = process.argv.slice(2);
if (!name || levelArg === undefined) {
  console.error('usage: node scripts/new-package.mjs <name> <level|meta> "<description>"');
  process.exit(2);
}
const level = levelArg === "meta" ? "meta" : Number(levelArg);
const dir = join("packages", name);
if (existsSync(dir)) {
  console.error(`${dir} exists`);
  process.exit(1);
}
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "test"), { recursive: true });

const pkg = {
  name: `@zp/${name}`,
  version: "0.0.0",
  description,
  type: "module",
  license: "SSPL-1.0",
  engines: { node: ">=20" },
  sideEffects: false,
  exports: {
    ".": {
      "@zp/source": "./src/index.ts",
      types: "./dist/index.d.ts",
      import: "./dist/index.js",
    },
  },
  main: "./dist/index.js",
  types: "./dist/index.d.ts",
  files: ["dist", "src", "README.md"],
  scripts: {
    build: "tsup",
    typecheck: "tsc -p tsconfig.json",
    lint: "biome lint .",
    test: "vitest run",
    example: "node --conditions=@zp/source --import tsx examples/basic.ts",
  },
  zp: { level },
  dependencies: {},
  devDependencies: {},
};
const write = (file, text) => writeFileSync(join(dir, file), text);
write("package.json", JSON.stringify(pkg, null, 2) + "\n");
write(
  "tsconfig.json",
  JSON.stringify(
    { extends: "../../tsconfig.base.json", include: ["src", "test", "examples"] },
    null,
    2,
  ) + "\n",
);
write(
  "tsup.config.ts",
  `import { defineConfig } from "tsup";\n\nexport default defineConfig({\n  entry: ["src/index.ts"],\n  format: ["esm"],\n  dts: true,\n  clean: true,\n  sourcemap: true,\n  target: "node20",\n});\n`,
);
write(
  "vitest.config.ts",
  `import { packageConfig } from "../../vitest.shared.js";\n\nexport default packageConfig("@zp/${name}");\n`,
);
write("src/index.ts", `export {};\n`);
mkdirSync(join(dir, "examples"), { recursive: true });
write("examples/basic.ts", `import {} from "@zp/${name}";\n`);
write("README.md", `# @zp/${name}\n\n${description}\n`);
console.log(`created ${dir}`);
