import { GENESIS_HASH, hashEvent } from "@portcullis/audit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "./audit";
import { createPrisma } from "./client";
import type { AuditEvent, PrismaClient } from "./generated/prisma/client";
import { pgConfigFromUrl } from "./pg-config";

const databaseUrl = process.env.DATABASE_URL ?? "";
let prisma: PrismaClient;

beforeAll(() => {
  // scripts/integration-setup.ts hands the migrated test database to the workers.
  expect(databaseUrl).toMatch(/^postgresql:\/\//);
  prisma = createPrisma(databaseUrl, { max: 8 });
});
afterAll(async () => {
  await prisma?.$disconnect();
});

/** Checks the whole table: genesis first, each prevHash = previous hash, each hash recomputes. */
async function expectIntactChain(): Promise<AuditEvent[]> {
  const events = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
  let prev = GENESIS_HASH;
  for (const e of events) {
    expect(e.prevHash).toBe(prev);
    expect(e.hash).toBe(hashEvent(e.prevHash, e));
    prev = e.hash;
  }
  return events;
}

describe("appendAuditEvent", () => {
  it("links each event to the previous one and stores what it hashed", async () => {
    const appended: AuditEvent[] = [];
    for (const n of [1, 2, 3]) {
      appended.push(
        await prisma.$transaction((tx) =>
          appendAuditEvent(tx, {
            actorType: "user",
            actorId: "usr_chain",
            action: "virtual_key.update",
            targetType: "virtual_key",
            targetId: `vk_${n}`,
            before: { n: n - 1, when: new Date(0), big: 10n ** 20n },
            after: { n, tags: ["a", undefined] },
            ip: "10.0.0.1",
            metadata: { z: 1, a: { y: 2, x: 1 } },
          }),
        ),
      );
    }
    expect(appended[1]!.prevHash).toBe(appended[0]!.hash);
    expect(appended[2]!.prevHash).toBe(appended[1]!.hash);
    expect(appended[2]!.seq).toBeGreaterThan(appended[1]!.seq);
    expect(appended[0]!.id).toMatch(/^evt_/);

    // Re-read from the database: JSON went through jsonb and still hashes the same.
    const stored = await prisma.auditEvent.findUniqueOrThrow({ where: { id: appended[0]!.id } });
    expect(stored.before).toEqual({ n: 0, when: "1970-01-01T00:00:00.000Z", big: "100000000000000000000" });
    expect(stored.after).toEqual({ n: 1, tags: ["a", null] });
    expect(hashEvent(stored.prevHash, stored)).toBe(stored.hash);
    await expectIntactChain();
  });

  it("keeps one unbroken chain under concurrent appends from many transactions", async () => {
    const before = await prisma.auditEvent.count();
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        prisma.$transaction(async (tx) => {
          // Work before the append widens the window in which transactions overlap.
          await tx.$executeRaw`SELECT pg_sleep(0.005)`;
          return appendAuditEvent(tx, { actorType: "system", action: "concurrency.test", metadata: { i } });
        }),
      ),
    );
    expect(new Set(results.map((r) => r.prevHash)).size).toBe(24);
    const events = await expectIntactChain();
    expect(events.length).toBe(before + 24);
  });

  it("leaves no trace of an event whose transaction rolls back, and the chain continues", async () => {
    const head = await prisma.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    await expect(
      prisma.$transaction(async (tx) => {
        await appendAuditEvent(tx, { actorType: "system", action: "rollback.test" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await prisma.auditEvent.count({ where: { action: "rollback.test" } })).toBe(0);
    const next = await prisma.$transaction((tx) => appendAuditEvent(tx, { actorType: "system", action: "after.rollback" }));
    expect(next.prevHash).toBe(head.hash);
    await expectIntactChain();
  });
});

describe("audit tables are append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE even for the superuser (trigger)", async () => {
    const e = await prisma.$transaction((tx) => appendAuditEvent(tx, { actorType: "system", action: "immutability.test" }));
    await expect(prisma.$executeRawUnsafe(`UPDATE audit_events SET action = 'x' WHERE id = $1`, e.id)).rejects.toThrow(/append-only; UPDATE is refused/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_events WHERE id = $1`, e.id)).rejects.toThrow(/append-only; DELETE is refused/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_events`)).rejects.toThrow(/append-only; TRUNCATE is refused/);
    await expect(prisma.auditEvent.update({ where: { id: e.id }, data: { action: "y" } })).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/audit_checkpoints is append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_checkpoints`)).rejects.toThrow(/append-only/);
    expect((await prisma.auditEvent.findUniqueOrThrow({ where: { id: e.id } })).action).toBe("immutability.test");
  });

  it("gives portcullis_app INSERT and SELECT on audit_events but no UPDATE or DELETE", async () => {
    const client = new pg.Client(pgConfigFromUrl(databaseUrl));
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL ROLE portcullis_app");
      expect((await client.query("SELECT current_user AS u")).rows[0].u).toBe("portcullis_app");
      // The app role can do its normal work...
      await client.query("SELECT count(*) FROM audit_events");
      await client.query("UPDATE config_state SET updated_at = now() WHERE id = 1");
      await client.query("SAVEPOINT s");
      // ...but the privilege check refuses audit changes before any trigger runs.
      await expect(client.query("UPDATE audit_events SET action = 'x'")).rejects.toThrow(/permission denied for table audit_events/);
      await client.query("ROLLBACK TO SAVEPOINT s");
      await expect(client.query("DELETE FROM audit_events")).rejects.toThrow(/permission denied for table audit_events/);
      await client.query("ROLLBACK TO SAVEPOINT s");
      await expect(client.query("UPDATE audit_checkpoints SET key_id = 'x'")).rejects.toThrow(/permission denied for table audit_checkpoints/);
    } finally {
      await client.query("ROLLBACK").catch(() => {});
      await client.end();
    }
  });

  it("lets portcullis_app append through appendAuditEvent", async () => {
    const e = await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL ROLE portcullis_app");
      return appendAuditEvent(tx, { actorType: "service_account", actorId: "sa_x", action: "role.test" });
    });
    expect(e.seq).toBeGreaterThan(0n);
    await expectIntactChain();
  });
});
