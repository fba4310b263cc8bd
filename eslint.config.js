import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Pure packages take data and return data: no network, filesystem, database, Redis,
// environment or clock-driven I/O. The rule below keeps them that way.
const ioModules = [
  "node:fs", "fs", "node:fs/promises", "fs/promises", "node:net", "net", "node:http", "http",
  "node:https", "https", "node:http2", "node:child_process", "child_process", "node:dgram",
  "node:tls", "tls", "ioredis", "pg", "@prisma/client", "@portcullis/db", "undici",
  "@electric-sql/pglite",
];
const pureFiles = [
  "packages/core/src/**/*.ts",
  "packages/policy/src/**/*.ts",
  "packages/providers/src/**/*.ts",
  "packages/guardrails/src/checks/**/*.ts",
];
const pureExceptions = ["packages/providers/src/transport/**", "packages/providers/src/vertex/token-fetcher.ts", "**/*.test.ts"];

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/.next/**", "**/dist/**", "**/generated/**", "prisma/.prisma6/**", "test-results/**", "playwright-report/**", "**/next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly", setTimeout: "readonly", globalThis: "readonly" } },
  },
  {
    files: pureFiles,
    ignores: pureExceptions,
    rules: {
      "no-restricted-imports": ["error", { paths: ioModules.map((name) => ({ name, message: "pure package: no I/O (pass an interface in)" })) }],
      "no-restricted-globals": ["error", { name: "fetch", message: "pure package: no I/O" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "pure package: no env; apps/*/src/env.ts reads it" }],
    },
  },
);
