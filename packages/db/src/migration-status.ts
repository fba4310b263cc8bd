import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { migrationsDir } from "./migrate";
import { pgConfigFromUrl } from "./pg-config";

/** Migrations in the repository that the database has not applied yet (oldest first). */
export async function pendingMigrations(url: string, dir: string = migrationsDir): Promise<string[]> {
  const local = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    const exists = await client.query("SELECT to_regclass('_prisma_migrations') AS t");
    if (!exists.rows[0]?.t) return local;
    const done = new Set((await client.query<{ migration_name: string }>("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL")).rows.map((r) => r.migration_name));
    return local.filter((m) => !done.has(m));
  } finally {
    await client.end().catch(() => {});
  }
}
