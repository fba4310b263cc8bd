import { defineConfig } from "vitest/config";

// Two projects: `unit` runs in parallel with no services; `integration` (files named
// *.int.test.ts) runs one file at a time against the real PostgreSQL and Redis.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{apps,packages,bench}/**/src/**/*.test.ts", "{apps,packages}/*/*.test.ts"],
          exclude: ["**/node_modules/**", "**/*.int.test.ts", "apps/console/**/e2e/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["{apps,packages}/**/src/**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          environment: "node",
          globalSetup: ["./scripts/integration-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
