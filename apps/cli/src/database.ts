import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { startEmbeddedPostgres } from "@portcullis/db/embedded";
import { pendingMigrations } from "@portcullis/db/migration-status";
import type { CliEnv } from "./env";

/**
 * pglite-socket serves every connection on one PostgreSQL session, so a pool
 * larger than the server's connection limit only gets connections reset.
 */
export const embeddedPoolSize = 4;
const embeddedMaxConnections = 16;

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  prisma: PrismaClient;
  close(): Promise<void>;
}

interface EmbeddedInfo {
  pid: number;
  databaseUrl: string;
}

const infoFile = (dataDir: string) => join(dataDir, "embedded.json");

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The URL of the embedded database a running `portcullis start` serves, if any. */
export function runningEmbeddedUrl(dataDir: string): string | undefined {
  const file = infoFile(dataDir);
  if (!existsSync(file)) return undefined;
  const info = JSON.parse(readFileSync(file, "utf8")) as EmbeddedInfo;
  return pidAlive(info.pid) ? info.databaseUrl : undefined;
}

/** Starts PGlite on the data directory (only one process may open it) and records its URL. */
export async function serveEmbeddedDatabase(dataDir: string, announce: boolean) {
  const pg = await startEmbeddedPostgres({ dataDir: resolve(dataDir, "pg"), port: 0, maxConnections: embeddedMaxConnections });
  if (announce) writeFileSync(infoFile(dataDir), JSON.stringify({ pid: process.pid, databaseUrl: pg.url } satisfies EmbeddedInfo));
  return {
    url: pg.url,
    async stop() {
      if (announce) rmSync(infoFile(dataDir), { force: true });
      await pg.stop();
    },
  };
}

/**
 * The database a CLI command works on: DATABASE_URL; else the embedded database of a
 * running `portcullis start`; else the embedded data directory opened for this command.
 */
export async function openDatabase(env: CliEnv, opts: { requireMigrated?: boolean } = {}): Promise<OpenDatabase> {
  const db = await connect(env);
  if (opts.requireMigrated === false) return db;
  try {
    const pending = await pendingMigrations(db.url);
    if (pending.length) throw new Error(`the database schema is behind (pending: ${pending.join(", ")}); run \`pnpm portcullis migrate\` first`);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

async function connect(env: CliEnv): Promise<OpenDatabase> {
  if (env.DATABASE_URL) {
    const prisma = createPrisma(env.DATABASE_URL);
    return { url: env.DATABASE_URL, embedded: false, prisma, close: () => prisma.$disconnect() };
  }
  const running = runningEmbeddedUrl(env.PORTCULLIS_DATA_DIR);
  if (running) {
    const prisma = createPrisma(running, { max: 1 });
    return { url: running, embedded: true, prisma, close: () => prisma.$disconnect() };
  }
  const server = await serveEmbeddedDatabase(env.PORTCULLIS_DATA_DIR, false);
  const prisma = createPrisma(server.url, { max: embeddedPoolSize });
  return {
    url: server.url,
    embedded: true,
    prisma,
    async close() {
      await prisma.$disconnect();
      await server.stop();
    },
  };
}
