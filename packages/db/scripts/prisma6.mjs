// Runs the Prisma 6.19 CLI (Wasm schema engine, no native engine download) against a copy of
// the Prisma 7 schema. Used for `migrate diff` (writing new migrations offline), `migrate status`
// and `migrate deploy`; src/migrate.ts applies the same migrations at run time.
//   node packages/db/scripts/prisma6.mjs migrate diff --from-migrations prisma/migrations \
//     --to-schema-datamodel prisma/.prisma6/schema.prisma --script
// Paths in arguments are relative to the repo root.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const dbDir = fileURLToPath(new URL("..", import.meta.url));
const src = readFileSync(`${root}prisma/schema.prisma`, "utf8");
const schema6 = src
  .replace(/^generator\s+\w+\s*\{[^}]*\}\s*/gm, "") // Prisma 6 must not generate a client
  .replace(/(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"[^"]+")/, '$1\n  url = "postgresql://unused/unused" // ignored: prisma6.config.ts adapter is used');
mkdirSync(`${root}prisma/.prisma6`, { recursive: true });
writeFileSync(`${root}prisma/.prisma6/schema.prisma`, "// GENERATED from ../schema.prisma by packages/db/scripts/prisma6.mjs - do not edit\n" + schema6);

const cli = createRequire(import.meta.url).resolve("prisma6/build/index.js");
const self = fileURLToPath(import.meta.url);
const env = {
  // Any existing file: stops Prisma 6 from downloading native engines it won't use.
  PRISMA_QUERY_ENGINE_LIBRARY: self,
  PRISMA_SCHEMA_ENGINE_BINARY: self,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  ...process.env,
};
const r = spawnSync(
  process.execPath,
  ["--require", `${dbDir}scripts/unref-long-timers.cjs`, cli, ...process.argv.slice(2), "--config", `${dbDir}prisma6.config.ts`],
  { stdio: "inherit", env, cwd: root },
);
process.exit(r.status ?? 1);
