import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { pgConfigFromUrl, redactUrl } from "./pg-config";

/** The repo's prisma/migrations, in Prisma's layout (<timestamp>_<name>/migration.sql). */
export const migrationsDir = fileURLToPath(new URL("../../../prisma/migrations/", import.meta.url));

/** Prisma's own advisory lock id for migrations, so this and `prisma migrate` exclude each other. */
const MIGRATION_LOCK = 72707369;

export interface MigrateOptions {
  log?: (line: string) => void;
  /** Defaults to the repo's prisma/migrations. */
  dir?: string;
}

/**
 * Applies pending migrations: the plain-`pg` equivalent of `prisma migrate deploy`. It keeps the
 * `_prisma_migrations` bookkeeping exactly as Prisma does (same table, sha256 checksum of
 * migration.sql, one step per file), so either tool can take over from the other.
 * Each migration.sql runs as one multi-statement simple query, i.e. in one implicit transaction.
 * Works against PostgreSQL and the embedded PGlite socket server.
 */
export async function migrate(url: string, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const dir = opts.dir ?? migrationsDir;
  const client = new pg.Client(pgConfigFromUrl(url));
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`migrate: cannot connect to ${redactUrl(url)}: ${(e as Error).message}`, { cause: e });
  }
  const applied: string[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    await client.query(`CREATE TABLE IF NOT EXISTS _prisma_migrations (
      id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
      migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,
      started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations",
    );
    const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
    if (failed.length > 0) {
      throw new Error(`migrate: failed migration(s) must be resolved first (prisma migrate resolve): ${failed.join(", ")}`);
    }
    const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
    for (const name of listMigrations(dir)) {
      const sql = readFileSync(`${dir}/${name}/migration.sql`, "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const doneChecksum = done.get(name);
      if (doneChecksum !== undefined) {
        if (doneChecksum !== checksum) log(`warning: migration ${name} was modified after it was applied`);
        continue;
      }
      await applyOne(client, name, sql, checksum);
      applied.push(name);
      log(`applied migration ${name}`);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => {});
    await client.end().catch(() => {});
  }
  return { applied };
}

function listMigrations(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`migrate: no migrations directory at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${dir}/${d.name}/migration.sql`))
    .map((d) => d.name)
    .sort();
}

async function applyOne(client: pg.Client, name: string, sql: string, checksum: string): Promise<void> {
  const id = randomUUID();
  await client.query(
    "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)",
    [id, checksum, name],
  );
  try {
    await client.query(sql);
  } catch (e) {
    const err = e as Error;
    await client.query("UPDATE _prisma_migrations SET logs = $1 WHERE id = $2", [String(err.stack ?? err), id]).catch(() => {});
    throw new Error(`migrate: migration ${name} failed: ${err.message}`, { cause: e });
  }
  await client.query("UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1", [id]);
}
