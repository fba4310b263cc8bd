// Generates the Prisma 7 client (packages/db/src/generated/prisma) after install.
// Quiet and fast: skipped when the schema and the Prisma version are unchanged since the last
// run (stamp file in the output directory); output is printed only when generation fails.
// PRISMA_SCHEMA_ENGINE_BINARY points at any existing file so that `prisma generate` does not
// try to download an engine it never uses.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dbDir = `${root}packages/db`;
const schemaFile = `${root}prisma/schema.prisma`;
const prismaPkg = `${dbDir}/node_modules/prisma/package.json`;
if (!existsSync(schemaFile) || !existsSync(prismaPkg)) process.exit(0);

const outDir = `${dbDir}/src/generated/prisma`;
const stampFile = `${outDir}/.schema-stamp`;
const stamp = createHash("sha256")
  .update(readFileSync(schemaFile))
  .update(readFileSync(prismaPkg))
  .digest("hex");
const force = process.argv.includes("--force");
if (!force && existsSync(`${outDir}/client.ts`) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const r = spawnSync("pnpm", ["exec", "prisma", "generate"], {
  cwd: dbDir,
  encoding: "utf8",
  env: { PRISMA_SCHEMA_ENGINE_BINARY: self, PRISMA_QUERY_ENGINE_LIBRARY: self, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...process.env },
});
if (r.status !== 0) {
  process.stderr.write(`${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}\nprisma generate failed\n`);
  process.exit(r.status ?? 1);
}
writeFileSync(stampFile, stamp);
