import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const nextConfig: NextConfig = {
  output: "standalone",
  // Trace files from the whole monorepo so the standalone output carries workspace packages.
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  // Workspace packages export TypeScript source; Next compiles them with the app.
  transpilePackages: [
    "@portcullis/core",
    "@portcullis/db",
    "@portcullis/declarative",
    "@portcullis/policy",
    "@portcullis/config-sync",
    "@portcullis/audit",
    "@portcullis/secrets",
  ],
  // Native, WASM or connection-pooling modules: loaded by Node at run time, never bundled.
  serverExternalPackages: [
    "pg",
    "@prisma/client",
    "@prisma/adapter-pg",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "ioredis",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
      {
        // The one-time first-admin token sits in this page's URL: never leak it in a Referer.
        source: "/bootstrap",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "Cache-Control", value: "no-store" },
        ],
      },
    ];
  },
};

export default nextConfig;
