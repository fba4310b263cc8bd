// Generates the Prisma 7 client after install. PRISMA_SCHEMA_ENGINE_BINARY points at any
// existing file so that `prisma generate` does not try to download an engine it never uses.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dbDir = `${root}packages/db`;
if (!existsSync(`${root}prisma/schema.prisma`) || !existsSync(`${dbDir}/node_modules/prisma`)) process.exit(0);
const self = fileURLToPath(import.meta.url);
const r = spawnSync("pnpm", ["exec", "prisma", "generate"], {
  cwd: dbDir,
  stdio: "inherit",
  env: { PRISMA_SCHEMA_ENGINE_BINARY: self, PRISMA_QUERY_ENGINE_LIBRARY: self, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...process.env },
});
process.exit(r.status ?? 1);
