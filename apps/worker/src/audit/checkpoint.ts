import type { KeyObject } from "node:crypto";
import { signCheckpoint } from "@portcullis/audit";
import type { AuditCheckpoint, PrismaClient } from "@portcullis/db";
import { verifyStoredChain } from "./verify-stored";

export interface CreateCheckpointOptions {
  /** Checkpoint this seq instead of the head. */
  seq?: bigint;
  now?: Date;
}

export type CheckpointOutcome =
  | { created: true; checkpoint: AuditCheckpoint }
  | { created: false; checkpoint?: AuditCheckpoint; reason: "empty chain" | "exists" | "no such event" };

/**
 * Signs the chain head (or `seq`) after proving the chain from the newest earlier checkpoint
 * (or the start) up to it, so a signature never vouches for a chain that was already tampered
 * with. Throws, without signing, when that check fails.
 */
export async function createAuditCheckpoint(prisma: PrismaClient, key: KeyObject, opts: CreateCheckpointOptions = {}): Promise<CheckpointOutcome> {
  const row = opts.seq !== undefined
    ? await prisma.auditEvent.findUnique({ where: { seq: opts.seq }, select: { seq: true, hash: true } })
    : await prisma.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  if (!row) return { created: false, reason: opts.seq === undefined ? "empty chain" : "no such event" };
  const existing = await prisma.auditCheckpoint.findUnique({ where: { seq: row.seq } });
  if (existing) return { created: false, checkpoint: existing, reason: "exists" };

  const previous = await prisma.auditCheckpoint.findFirst({ where: { seq: { lt: row.seq } }, orderBy: { seq: "desc" } });
  const report = await verifyStoredChain(prisma, { ...(previous ? { from: previous.seq + 1n } : {}), to: row.seq, keys: new Map() });
  if (report.firstBroken) {
    const b = report.firstBroken;
    throw new Error(`audit chain broken at seq ${b.seq} (${b.id}): ${b.reason}; checkpoint not signed`);
  }
  if (previous && report.anchor.kind === "preceding-row" && report.anchor.hash !== previous.headHash) {
    throw new Error(`audit event at checkpoint ${previous.seq} no longer matches its signed hash; checkpoint not signed`);
  }

  // Millisecond precision, as stored, so the signed instant is the one read back.
  const createdAt = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const { signature, keyId } = signCheckpoint(key, { seq: row.seq, headHash: row.hash, createdAt });
  await prisma.auditCheckpoint.createMany({ data: [{ seq: row.seq, headHash: row.hash, signature, keyId, createdAt }], skipDuplicates: true });
  // Another worker may have signed the same head a moment earlier: either row is valid.
  const checkpoint = await prisma.auditCheckpoint.findUniqueOrThrow({ where: { seq: row.seq } });
  return checkpoint.signature === signature ? { created: true, checkpoint } : { created: false, checkpoint, reason: "exists" };
}

export interface CheckpointJob {
  stop(): Promise<void>;
}

/** Signs the head every `intervalMs` (default 5 min) when it moved since the last checkpoint. */
export function startCheckpointJob(opts: { prisma: PrismaClient; key: KeyObject; intervalMs?: number; log?: (line: string) => void }): CheckpointJob {
  const log = opts.log ?? (() => {});
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = createAuditCheckpoint(opts.prisma, opts.key)
      .then((r) => {
        if (r.created) log(`audit: signed checkpoint at seq ${r.checkpoint.seq}`);
      })
      .catch((e: Error) => log(`audit: checkpoint failed: ${e.message}`))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, opts.intervalMs ?? 5 * 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
