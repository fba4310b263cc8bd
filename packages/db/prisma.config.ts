// Prisma 7 config, used by `prisma generate` (scripts/prisma-generate.mjs runs it on install).
// Migrations are applied by src/migrate.ts (or the Prisma 6 CLI, see scripts/prisma6.mjs), so
// the datasource URL is only a placeholder here.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
