import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { CycleAwareQueue } from "./embedded-queue";

export interface EmbeddedPostgresOptions {
  /** Directory of the database files (created if missing). One process per directory. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Connections the server accepts at once; more are reset. Default 8. */
  maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** postgresql:// URL of the server; give it to createPrisma(url, { max: 1 }) and migrate(url). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Embedded PostgreSQL for single-machine mode: PGlite (PostgreSQL 18 in WASM, file-backed)
 * served on the Postgres wire protocol at 127.0.0.1, so pg, Prisma and psql connect as usual.
 *
 * Caveat: every connection shares ONE PGlite session. The server runs one message at a time
 * and keeps serving a connection through its extended-protocol cycle (Parse ... Sync) and its
 * open transaction (CycleAwareQueue), so statements and transactions are serialized (advisory
 * locks are then trivially granted, which is fine). But
 * session state is shared: SET leaks across connections, CREATE DATABASE lands in the same
 * database, and connections past maxConnections are reset. Pool size to use: createPrisma(url,
 * { max: 1 }) per process (more connections add no throughput), and no more clients in all than
 * maxConnections. A fresh directory takes ~5 s to initialise, reopening ~1 s.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir });
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: opts.port ?? 0,
    maxConnections: opts.maxConnections ?? 8,
  });
  // Keep each connection's extended-protocol cycle together (see CycleAwareQueue).
  (server as unknown as { queryQueue: CycleAwareQueue }).queryQueue = new CycleAwareQueue(db);
  try {
    await server.start();
  } catch (e) {
    await db.close().catch(() => {});
    throw new Error(`embedded postgres: cannot listen on 127.0.0.1:${opts.port ?? 0}: ${(e as Error).message}`, { cause: e });
  }
  const port = Number(server.getServerConn().split(":").pop());
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
