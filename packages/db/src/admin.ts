import pg from "pg";
import { pgConfigFromUrl, redactUrl, withDatabase } from "./pg-config";

const safeName = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Drops (WITH FORCE: other sessions are disconnected) and creates the database `name` on the
 * server of `adminUrl`; returns its URL. For tests and local setups only. Not for PGlite, where
 * every database name leads to the same single database.
 */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  if (!safeName.test(name)) throw new Error(`recreateDatabase: invalid database name ${JSON.stringify(name)}`);
  const client = new pg.Client(pgConfigFromUrl(adminUrl));
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`recreateDatabase: cannot connect to ${redactUrl(adminUrl)}: ${(e as Error).message}`, { cause: e });
  }
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end().catch(() => {});
  }
  return withDatabase(adminUrl, name);
}
