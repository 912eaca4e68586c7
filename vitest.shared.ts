import { defineConfig, type ViteUserConfig } from "vitest/config";

/** Resolve workspace packages to their TypeScript sources, so tests never need a build. */
const conditions = ["@zp/source", "module", "node", "import", "default"];

/**
 * The vitest configuration every package uses (`packages/<name>/vitest.config.ts`).
 * @param name Project name shown in reports, e.g. `@zp/lru`.
 * @param overrides Extra test options for the package.
 */
export function packageConfig(name: string, overrides: NonNullable<ViteUserConfig["test"]> = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@zp/source"] } },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      environment: "node",
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...overrides,
    },
  });
}
