import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { newId } from "@portcullis/core";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { recreateDatabase } from "./admin";
import { appendAuditEvent } from "./audit";
import { createPrisma } from "./client";
import { bumpConfigVersion, readConfigVersion } from "./config-version";
import { startEmbeddedPostgres } from "./embedded";
import { migrate, migrationsDir } from "./migrate";
import { pgConfigFromUrl } from "./pg-config";

const databaseUrl = process.env.DATABASE_URL ?? "";
const migrationNames = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

async function bookkeeping(url: string) {
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      "SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe("migrate (PostgreSQL)", () => {
  it("applies every migration once, keeps Prisma's bookkeeping, and is idempotent", async () => {
    expect(migrationNames.length).toBeGreaterThanOrEqual(2);
    const dbName = `${new URL(databaseUrl).pathname.slice(1)}_migrate`;
    const url = await recreateDatabase(databaseUrl, dbName);
    const lines: string[] = [];

    const first = await migrate(url, { log: (l) => lines.push(l) });
    expect(first.applied).toEqual(migrationNames);
    expect(lines).toEqual(migrationNames.map((n) => `applied migration ${n}`));

    const second = await migrate(url);
    expect(second.applied).toEqual([]);

    const rows = await bookkeeping(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const r of rows) {
      const sql = readFileSync(`${migrationsDir}/${r.migration_name}/migration.sql`);
      expect(r.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
    }
    const prisma = createPrisma(url, { max: 1 });
    try {
      expect(await readConfigVersion(prisma)).toBe(0n);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("names the server when it cannot connect", async () => {
    await expect(migrate("postgresql://postgres:secret@127.0.0.1:1/nope")).rejects.toThrow(/cannot connect to postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nope/);
  });
});

describe("migrate (embedded PGlite)", () => {
  it("applies cleanly through startEmbeddedPostgres, serves Prisma, and keeps data across restarts", async () => {
    const dataDir = mkdtempSync(`${tmpdir()}/portcullis-pglite-`);
    tempDirs.push(dataDir);

    const first = await startEmbeddedPostgres({ dataDir });
    let customerId: string;
    try {
      expect(first.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect((await migrate(first.url)).applied).toEqual(migrationNames);
      const prisma = createPrisma(first.url, { max: 1 });
      try {
        customerId = newId("customer");
        await prisma.$transaction(async (tx) => {
          await tx.customer.create({ data: { id: customerId, name: "Acme" } });
          await appendAuditEvent(tx, { actorType: "system", action: "customer.create", targetType: "customer", targetId: customerId });
          expect(await bumpConfigVersion(tx)).toBe(1n);
        });
        // The immutability trigger works on PGlite too.
        await expect(prisma.$executeRawUnsafe("DELETE FROM audit_events")).rejects.toThrow(/append-only/);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect((await migrate(second.url)).applied).toEqual([]);
      const prisma = createPrisma(second.url, { max: 1 });
      try {
        expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).name).toBe("Acme");
        expect(await readConfigVersion(prisma)).toBe(1n);
        expect(await prisma.auditEvent.count({ where: { targetId: customerId } })).toBe(1);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await second.stop();
    }
  });
});

describe("schema.prisma and the migrations", () => {
  it("describe the same database (no drift: a schema change needs a new migration)", { timeout: 120_000 }, () => {
    const script = fileURLToPath(new URL("../scripts/prisma6.mjs", import.meta.url));
    const env = { ...process.env };
    delete env.DATABASE_URL; // the Prisma 6 config then replays the migrations into in-memory PGlite
    const r = spawnSync(
      process.execPath,
      [script, "migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/.prisma6/schema.prisma", "--script", "--exit-code"],
      { env, encoding: "utf8", timeout: 120_000 },
    );
    // --exit-code: 0 = no difference, 2 = difference (the SQL is on stdout), 1 = error.
    expect({ status: r.status, stdout: r.stdout.trim(), stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stdout: "-- This is an empty migration.", stderr: "" });
  });
});
