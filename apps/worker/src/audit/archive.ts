import { createHash, type KeyObject } from "node:crypto";
import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";
import { auditKeyId, signDocument, toCanonicalValue } from "@portcullis/audit";
import type { PrismaClient } from "@portcullis/db";
import { createAuditCheckpoint } from "./checkpoint";
import { chainAnchor, verifyStoredChain } from "./verify-stored";

/** What the signature file beside an archive holds: `{ manifest, signature }`. */
export interface ArchiveManifest {
  format: "portcullis-audit-archive/v1";
  file: string;
  sha256: string;
  events: number;
  fromSeq: string;
  toSeq: string;
  /** prev_hash of the first archived event (genesis, or the previous archive's head). */
  startPrevHash: string;
  headHash: string;
  cutoff: string;
  checkpoint: { seq: string; headHash: string; createdAt: string; signature: string; keyId: string };
  keyId: string;
  createdAt: string;
}

export type ArchiveResult =
  | { done: false; reason: string }
  | { done: true; archived: number; pruned: number; file: string; signatureFile: string; manifest: ArchiveManifest };

export const archiveSignatureSuffix = ".sig.json";

/**
 * Retention for the audit chain. Takes the longest prefix of the remaining chain whose events
 * all occurred before `before`, proves it, signs a checkpoint at its last event, writes it to
 * `<outDir>/audit-<from>-<to>.jsonl` (one stored row per line, fsynced) with a signed manifest
 * beside it, and only then, in one transaction, records the archive and deletes the prefix
 * (all but its last event, which stays as the stored head new events link to) through the
 * guarded path of migration *_audit_archive_export_lease. Afterwards
 * `verifyStoredChain` starts from the signed head hash and the remaining chain still verifies.
 *
 * Must run as a role that may DELETE audit_events (the owner, not portcullis_app).
 */
export async function archiveAuditEvents(prisma: PrismaClient, key: KeyObject, opts: { before: Date; outDir: string; pageSize?: number; allowUnexported?: boolean }): Promise<ArchiveResult> {
  const pageSize = opts.pageSize ?? 2000;
  const anchor = await chainAnchor(prisma);
  const first = await prisma.auditEvent.findFirst({ where: { seq: { gt: anchor.seq } }, orderBy: { seq: "asc" } });
  if (!first) return { done: false, reason: "no event after the last archive" };
  const previousHeadStored = anchor.kind === "archive" && (await prisma.auditEvent.count({ where: { seq: anchor.seq } })) === 1;
  const firstKept = await prisma.auditEvent.findFirst({ where: { occurredAt: { gte: opts.before } }, orderBy: { seq: "asc" }, select: { seq: true } });
  const last = await prisma.auditEvent.findFirst({
    where: firstKept ? { seq: { lt: firstKept.seq } } : {},
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  if (!last || last.seq < first.seq) return { done: false, reason: `no event before ${opts.before.toISOString()} that is not followed by a later one` };

  // Never prune what a SIEM has not received yet.
  const behind = await prisma.$queryRaw<{ name: string; last_seq: bigint }[]>`
    SELECT s.name, coalesce(c.last_seq, 0) AS last_seq
      FROM export_sinks s LEFT JOIN export_cursors c ON c.sink_id = s.id AND c.stream = 'audit'
     WHERE s.enabled AND 'audit' = ANY (s.streams) AND coalesce(c.last_seq, 0) < ${last.seq}`;
  if (behind.length > 0 && !opts.allowUnexported) {
    throw new Error(`refusing to archive up to seq ${last.seq}: export sink(s) ${behind.map((b) => `${b.name} (at seq ${b.last_seq})`).join(", ")} have not delivered it yet`);
  }

  const report = await verifyStoredChain(prisma, { to: last.seq, keys: new Map([[auditKeyId(key), key]]) });
  if (!report.ok) {
    const where = report.firstBroken ? `seq ${report.firstBroken.seq} (${report.firstBroken.reason})` : report.checkpoints.problems.map((p) => `checkpoint ${p.seq}: ${p.problem}`).join("; ");
    throw new Error(`refusing to archive an audit chain that does not verify: ${where}`);
  }
  const cp = await createAuditCheckpoint(prisma, key, { seq: last.seq });
  const checkpoint = cp.checkpoint;
  if (!checkpoint) throw new Error(`cannot checkpoint seq ${last.seq}`);

  await mkdir(opts.outDir, { recursive: true });
  const name = `audit-${first.seq}-${last.seq}.jsonl`;
  const path = join(opts.outDir, name);
  const { sha256, events } = await writeRows(prisma, `${path}.partial`, first.seq, last.seq, pageSize);
  await rename(`${path}.partial`, path);

  const manifest: ArchiveManifest = {
    format: "portcullis-audit-archive/v1",
    file: name,
    sha256,
    events,
    fromSeq: first.seq.toString(),
    toSeq: last.seq.toString(),
    startPrevHash: first.prevHash,
    headHash: checkpoint.headHash,
    cutoff: opts.before.toISOString(),
    checkpoint: {
      seq: checkpoint.seq.toString(),
      headHash: checkpoint.headHash,
      createdAt: checkpoint.createdAt.toISOString(),
      signature: checkpoint.signature,
      keyId: checkpoint.keyId,
    },
    keyId: auditKeyId(key),
    createdAt: new Date().toISOString(),
  };
  const signature = signDocument(key, manifest);
  const signatureFile = `${path}${archiveSignatureSuffix}`;
  await writeDurably(signatureFile, `${JSON.stringify({ manifest, signature }, null, 2)}\n`);

  const deleted = await prisma.$transaction(
    async (tx) => {
      await tx.auditArchive.create({
        data: {
          checkpointSeq: last.seq,
          fromSeq: first.seq,
          startPrevHash: first.prevHash,
          headHash: checkpoint.headHash,
          eventCount: BigInt(events),
          cutoff: opts.before,
          fileName: name,
          fileSha256: sha256,
          signature,
          keyId: manifest.keyId,
        },
      });
      await tx.$queryRaw`SELECT set_config('portcullis.audit_archive', ${last.seq.toString()}, true)`;
      // The checkpoint's own event stays as the stored head; the previous archive's head goes.
      const n = await tx.$executeRaw`DELETE FROM audit_events WHERE seq < ${last.seq}`;
      const expected = events - 1 + (previousHeadStored ? 1 : 0);
      if (n !== expected) throw new Error(`archive holds ${events} events but ${n} would be deleted (expected ${expected}); rolled back`);
      return n;
    },
    { timeout: 10 * 60_000, maxWait: 10_000 },
  );
  return { done: true, archived: events, pruned: deleted, file: path, signatureFile, manifest };
}

async function writeRows(prisma: PrismaClient, path: string, fromSeq: bigint, toSeq: bigint, pageSize: number) {
  const hash = createHash("sha256");
  const file = await open(path, "w", 0o600);
  let events = 0;
  try {
    let cursor = fromSeq - 1n;
    for (;;) {
      const rows = await prisma.auditEvent.findMany({ where: { seq: { gt: cursor, lte: toSeq } }, orderBy: { seq: "asc" }, take: pageSize });
      if (rows.length === 0) break;
      const chunk = Buffer.from(rows.map((r) => `${JSON.stringify(toCanonicalValue(r))}\n`).join(""), "utf8");
      hash.update(chunk);
      await file.write(chunk);
      events += rows.length;
      cursor = rows[rows.length - 1]!.seq;
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return { sha256: hash.digest("hex"), events };
}

async function writeDurably(path: string, text: string) {
  const file = await open(path, "w", 0o600);
  try {
    await file.write(text);
    await file.sync();
  } finally {
    await file.close();
  }
}
