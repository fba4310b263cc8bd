import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditKeyId, generateSigningKeyPem, parseSigningKey, signCheckpoint } from "@portcullis/audit";
import { newId } from "@portcullis/core";
import { appendAuditEvent, createPrisma, recreateDatabase, withDatabase, type PrismaClient } from "@portcullis/db";
import { migrate } from "@portcullis/db/migrate";
import { archiveAuditEvents } from "./archive";
import { verifyArchiveFile } from "./archive-verify";
import { createAuditCheckpoint } from "./checkpoint";
import { verifyStoredChain } from "./verify-stored";

// Pruning, tampering and a deliberately bogus (append-only, so permanent) checkpoint must not
// leak into the integration database other test files share: this file gets its own.
const sharedUrl = process.env.DATABASE_URL ?? "";
let databaseUrl = "";
let databaseName = "";
const key = parseSigningKey(generateSigningKeyPem());
const keyBase64 = key.export({ format: "der", type: "pkcs8" }).toString("base64");
const keys = new Map([[auditKeyId(key), key]]);
const cliMain = fileURLToPath(new URL("../../../cli/src/main.ts", import.meta.url));
let prisma: PrismaClient;
let outDir = "";

beforeAll(async () => {
  databaseName = `${new URL(sharedUrl).pathname.slice(1)}_audit_retention`;
  databaseUrl = await recreateDatabase(withDatabase(sharedUrl, "postgres"), databaseName);
  await migrate(databaseUrl);
  // Connected as the superuser postgres, as a tampering DBA would be.
  prisma = createPrisma(databaseUrl, { max: 4 });
  outDir = mkdtempSync(join(tmpdir(), "pc-audit-archive-"));
});
afterAll(async () => {
  await prisma.$disconnect();
  const admin = createPrisma(withDatabase(sharedUrl, "postgres"), { max: 1 });
  await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.$disconnect();
  rmSync(outDir, { recursive: true, force: true });
});

async function append(n: number, tag: string) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = await prisma.$transaction((tx) => appendAuditEvent(tx, { actorType: "user", actorId: "usr_audit_test", action: "virtual_key.update", targetType: "virtual_key", targetId: `vk_${tag}_${i}`, before: { n: i }, after: { n: i + 1 }, metadata: { tag } }));
    ids.push(e.id);
  }
  return ids;
}

/** What a superuser can do: switch the immutability triggers off around a statement. */
async function asSuperuserWithoutTriggers(sql: string, params: unknown[]) {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("ALTER TABLE audit_events DISABLE TRIGGER ALL");
    await tx.$executeRawUnsafe(sql, ...params);
    await tx.$executeRawUnsafe("ALTER TABLE audit_events ENABLE TRIGGER ALL");
  });
}

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", cliMain, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PORTCULLIS_AUDIT_SIGNING_KEY: keyBase64 },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("audit verify and checkpoints", () => {
  it("signs checkpoints of an intact chain and verifies them", async () => {
    await append(5, "cp");
    const cp = await createAuditCheckpoint(prisma, key);
    expect(cp.created).toBe(true);
    expect(await createAuditCheckpoint(prisma, key)).toMatchObject({ created: false, reason: "exists" });
    const report = await verifyStoredChain(prisma, { keys });
    expect(report).toMatchObject({ ok: true, lastSeq: cp.checkpoint!.seq.toString() });
    expect(report.firstBroken).toBeUndefined();
    expect(report.checkpoints.checked).toBeGreaterThanOrEqual(1);
    expect(report.checkpoints.problems).toEqual([]);
    // Without a key the chain still verifies, and the report says the signatures were not checked.
    expect((await verifyStoredChain(prisma)).checkpoints.unverifiedSignatures).toBe(report.checkpoints.checked);
  });

  it("`portcullis audit verify` names exactly the row a superuser edited with triggers disabled", async () => {
    const ids = await append(6, "tamper");
    const victim = await prisma.auditEvent.findUniqueOrThrow({ where: { id: ids[3]! } });
    await asSuperuserWithoutTriggers(`UPDATE audit_events SET after = '{"n": 1000}' WHERE id = $1`, [victim.id]);
    try {
      const report = await verifyStoredChain(prisma, { keys });
      expect(report.firstBroken).toMatchObject({ seq: victim.seq.toString(), id: victim.id, reason: "hash mismatch" });

      const run = await cli(["audit", "verify"]);
      expect(run.code).toBe(1);
      expect(run.out).toContain(`BROKEN at seq ${victim.seq} (${victim.id}): hash mismatch`);
      expect(run.out).toContain("FAILED");
      // A range that stops before the edited row, or starts after it, verifies.
      expect((await verifyStoredChain(prisma, { keys, to: victim.seq - 1n })).ok).toBe(true);
      const after = await cli(["audit", "verify", "--from", String(victim.seq + 2n)]);
      expect(after.out).toContain("OK");
      expect(after.code).toBe(0);
    } finally {
      await asSuperuserWithoutTriggers(`UPDATE audit_events SET after = $2::jsonb WHERE id = $1`, [victim.id, JSON.stringify(victim.after)]);
    }
    expect((await verifyStoredChain(prisma, { keys })).ok).toBe(true);
  });

  it("detects events cut off the end of the chain through the signed checkpoint", async () => {
    await append(2, "tail");
    const cp = await createAuditCheckpoint(prisma, key);
    const head = cp.checkpoint!;
    const [saved] = await prisma.$queryRaw<{ r: unknown }[]>`SELECT row_to_json(a) AS r FROM audit_events a WHERE seq = ${head.seq}`;
    await asSuperuserWithoutTriggers("DELETE FROM audit_events WHERE seq = $1::bigint", [String(head.seq)]);
    try {
      const report = await verifyStoredChain(prisma, { keys });
      expect(report.firstBroken).toBeUndefined(); // every remaining link is fine…
      expect(report.ok).toBe(false); // …but a signature vouches for a longer chain
      expect(report.checkpoints.problems).toContainEqual({ seq: head.seq.toString(), problem: expect.stringContaining("missing") });
    } finally {
      await prisma.$executeRawUnsafe("INSERT INTO audit_events SELECT * FROM json_populate_record(null::audit_events, $1::json)", JSON.stringify(saved!.r));
    }
    expect((await verifyStoredChain(prisma, { keys })).ok).toBe(true);
  });
});

describe("audit retention", () => {
  it("archives to signed JSONL, prunes through the guarded path, and the rest still verifies", async () => {
    await append(4, "old");
    const cutoff = new Date(Date.now() + 1);
    await new Promise((r) => setTimeout(r, 5));
    const sinkId = newId("exportSink");
    await prisma.exportSink.create({ data: { id: sinkId, name: `archive-guard-${sinkId}`, kind: "file", config: { path: join(outDir, "never.jsonl") }, streams: ["audit"] } });

    await expect(archiveAuditEvents(prisma, key, { before: cutoff, outDir })).rejects.toThrow(/have not delivered it yet/);
    await prisma.exportSink.update({ where: { id: sinkId }, data: { enabled: false } });

    const expected = await prisma.auditEvent.findMany({ where: { occurredAt: { lt: cutoff } }, orderBy: { seq: "asc" } });
    const run = await cli(["audit", "archive", "--before", cutoff.toISOString(), "-o", outDir]);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`archived ${expected.length} event(s)`);
    const file = readdirSync(outDir).find((f) => f.endsWith(".jsonl"))!;
    const lines = readFileSync(join(outDir, file), "utf8").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(expected.map((e) => e.id));
    expect(await verifyArchiveFile(join(outDir, file), keys)).toEqual({ ok: true, events: expected.length, problems: [] });
    // Everything archived is gone except the archived head, which new events link to.
    const kept = await prisma.auditEvent.findMany({ where: { seq: { lte: expected.at(-1)!.seq } }, select: { id: true } });
    expect(kept).toEqual([{ id: expected.at(-1)!.id }]);

    // New events continue the chain; it verifies from the archived, signed head.
    await append(3, "new");
    const report = await verifyStoredChain(prisma, { keys });
    expect(report).toMatchObject({ ok: true, anchor: { kind: "archive", seq: expected.at(-1)!.seq.toString(), hash: expected.at(-1)!.hash } });
    expect((await cli(["audit", "verify"])).code).toBe(0);

    // Tampering with the archive file is detected.
    writeFileSync(join(outDir, file), lines.map((l, i) => (i === 1 ? l.replace("virtual_key.update", "virtual_key.delete") : l)).join("\n") + "\n");
    expect((await verifyArchiveFile(join(outDir, file), keys)).problems).toContain("file digest differs from the manifest");
  });

  it("refuses every other DELETE of audit events, and archives that do not match the chain", async () => {
    const archive = await prisma.auditArchive.findFirstOrThrow({ orderBy: { checkpointSeq: "desc" } });
    const head = await prisma.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    await expect(prisma.$executeRaw`DELETE FROM audit_events WHERE seq = ${head.seq}`).rejects.toThrow(/append-only; DELETE is refused/);
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT set_config('portcullis.audit_archive', ${archive.checkpointSeq.toString()}, true)`;
        await tx.$executeRaw`DELETE FROM audit_events WHERE seq = ${head.seq}`;
      }),
    ).rejects.toThrow(/is not before archived checkpoint/);
    const below = await prisma.auditEvent.findFirstOrThrow({ where: { seq: { gt: archive.checkpointSeq } }, orderBy: { seq: "asc" } });
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT set_config('portcullis.audit_archive', ${head.seq.toString()}, true)`;
        await tx.$executeRaw`DELETE FROM audit_events WHERE seq = ${below.seq}`;
      }),
    ).rejects.toThrow(/no audit archive is recorded/);
    // An archive row must name a signed checkpoint that matches the stored chain.
    const createdAt = new Date();
    const { signature, keyId } = signCheckpoint(key, { seq: head.seq, headHash: "f".repeat(64), createdAt });
    await prisma.auditCheckpoint.create({ data: { seq: head.seq, headHash: "f".repeat(64), signature, keyId, createdAt } });
    const first = await prisma.auditEvent.findFirstOrThrow({ orderBy: { seq: "asc" } });
    await expect(
      prisma.auditArchive.create({
        data: { checkpointSeq: head.seq, fromSeq: first.seq, startPrevHash: first.prevHash, headHash: "f".repeat(64), eventCount: 1n, cutoff: createdAt, fileName: "x", fileSha256: "0".repeat(64), signature: "x", keyId: "x" },
      }),
    ).rejects.toThrow(/does not match checkpoint/);
    expect(await prisma.auditEvent.count({ where: { seq: head.seq } })).toBe(1);
    // That bogus checkpoint (append-only, it stays) is exactly what verify reports.
    const report = await verifyStoredChain(prisma, { keys });
    expect(report.firstBroken).toBeUndefined();
    expect(report.checkpoints.problems).toEqual([{ seq: head.seq.toString(), problem: "checkpoint head hash differs from the stored event" }]);
  });
});
