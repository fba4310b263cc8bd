import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "./client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";
import { migrate } from "./migrate";

let server: EmbeddedPostgres;
beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), "pc-embedded-")), port: 0, maxConnections: 8 });
});
afterAll(async () => server?.stop());

describe("embedded PostgreSQL over the wire", () => {
  it("keeps concurrent connections' extended-protocol statements apart", async () => {
    // Eight connections with different parameter counts: interleaved Parse/Bind messages on
    // the one PGlite session would bind one connection's values to another's statement.
    const clients = await Promise.all(Array.from({ length: 8 }, async () => {
      const cl = new pg.Client({ connectionString: server.url });
      await cl.connect();
      return cl;
    }));
    try {
      const n = 150;
      const results = await Promise.all(clients.flatMap((cl, k) => Array.from({ length: n }, async (_, i) => {
        const params = Array.from({ length: k + 1 }, (_, j) => `${k}.${i}.${j}`);
        const sql = `SELECT ${params.map((_, j) => `$${j + 1}::text`).join(" || ',' || ")} AS s`;
        try {
          const r = await cl.query(sql, params);
          return r.rows[0].s === params.join(",") ? "ok" : `wrong: ${r.rows[0].s}`;
        } catch (e) {
          return `error: ${(e as Error).message}`;
        }
      })));
      expect(results.filter((r) => r !== "ok").slice(0, 5)).toEqual([]);
    } finally {
      await Promise.all(clients.map((cl) => cl.end()));
    }
  });

  it("serves several Prisma clients at once (prepare in one cycle, bind in the next)", async () => {
    await migrate(server.url);
    const clients = Array.from({ length: 3 }, () => createPrisma(server.url, { max: 2 }));
    try {
      const results = await Promise.all(clients.flatMap((p, k) => Array.from({ length: 60 }, async (_, i) => {
        try {
          if (k === 0) return (await p.exportSink.findMany({ where: { enabled: true, name: { not: `x${i}` } } })).length === 0 ? "ok" : "wrong";
          if (k === 1) return (await p.team.count({ where: { slug: { in: [`a${i}`, `b${i}`, `c${i}`] } } })) === 0 ? "ok" : "wrong";
          // Interactive transactions pin the session to their connection while they run.
          const v = await p.$transaction(async (tx) => {
            await tx.team.findMany({ where: { slug: { in: [`t${i}`, `u${i}`] } } });
            return (await tx.configState.findUnique({ where: { id: 1 } }))?.id;
          });
          return v === 1 ? "ok" : "wrong";
        } catch (e) {
          return `error: ${(e as Error).message.split("\n").at(-1)}`;
        }
      })));
      expect(results.filter((r) => r !== "ok").slice(0, 3)).toEqual([]);
    } finally {
      await Promise.all(clients.map((p) => p.$disconnect()));
    }
  });

  it("serializes transactions across connections", async () => {
    const setup = new pg.Client({ connectionString: server.url });
    await setup.connect();
    await setup.query("CREATE TABLE IF NOT EXISTS counter (id int primary key, n int not null)");
    await setup.query("INSERT INTO counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0");
    const clients = await Promise.all(Array.from({ length: 4 }, async () => {
      const cl = new pg.Client({ connectionString: server.url });
      await cl.connect();
      return cl;
    }));
    try {
      await Promise.all(clients.map(async (cl) => {
        for (let i = 0; i < 25; i++) {
          await cl.query("BEGIN");
          const { rows } = await cl.query("SELECT n FROM counter WHERE id = $1", [1]);
          await cl.query("UPDATE counter SET n = $1 WHERE id = $2", [rows[0].n + 1, 1]);
          await cl.query("COMMIT");
        }
      }));
      // Read-modify-write in each transaction: if the single session interleaved two
      // connections' transactions, increments would be lost.
      expect((await setup.query("SELECT n FROM counter WHERE id = 1")).rows[0].n).toBe(100);
    } finally {
      await Promise.all([...clients.map((cl) => cl.end()), setup.end()]);
    }
  });
});
