import { migrate } from "@portcullis/db/migrate";
import { redactUrl } from "@portcullis/db";
import { syncBuiltInRoles } from "../bootstrap";
import { openDatabase } from "../database";
import { readCliEnv } from "../env";

/** `portcullis migrate`: applies pending migrations and refreshes the built-in roles. */
export async function migrateCommand(): Promise<number> {
  const db = await openDatabase(readCliEnv(), { requireMigrated: false });
  try {
    const { applied } = await migrate(db.url, { log: (l) => console.log(l) });
    await syncBuiltInRoles(db.prisma);
    console.log(applied.length ? `applied ${applied.length} migration(s) to ${db.embedded ? "the embedded database" : redactUrl(db.url)}` : "database schema up to date");
    return 0;
  } finally {
    await db.close();
  }
}
