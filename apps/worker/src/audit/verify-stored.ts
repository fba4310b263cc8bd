import type { KeyObject } from "node:crypto";
import { GENESIS_HASH, createChainVerifier, hashEvent, verifyCheckpointSignature, type ChainBreak } from "@portcullis/audit";
import type { AuditCheckpoint, PrismaClient } from "@portcullis/db";

export interface VerifyStoredOptions {
  /** First seq to check, or an instant (the first event that occurred at or after it). */
  from?: bigint | Date;
  /** Last seq to check, or an instant (the last event that occurred at or before it). */
  to?: bigint | Date;
  /** Public (or private) keys by key id; without any, signatures are counted as unverified. */
  keys?: ReadonlyMap<string, KeyObject>;
  pageSize?: number;
}

export interface CheckpointProblem {
  seq: string;
  problem: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  /** Where the check started: the chain's start, an archived checkpoint, or the row before `from`. */
  anchor: { kind: "genesis" | "archive" | "preceding-row"; seq: string; hash: string };
  /** Last seq of the range asked for (undefined: the head). */
  toSeq?: string;
  checked: number;
  lastSeq?: string;
  lastHash: string;
  firstBroken?: ChainBreak;
  checkpoints: { checked: number; unverifiedSignatures: number; problems: CheckpointProblem[] };
}

/** The start of what remains of the chain: the newest archive's checkpoint, else genesis. */
export async function chainAnchor(prisma: PrismaClient): Promise<{ kind: "genesis" | "archive"; seq: bigint; hash: string }> {
  const archive = await prisma.auditArchive.findFirst({ orderBy: { checkpointSeq: "desc" } });
  return archive ? { kind: "archive", seq: archive.checkpointSeq, hash: archive.headHash } : { kind: "genesis", seq: 0n, hash: GENESIS_HASH };
}

async function resolveBound(prisma: PrismaClient, bound: bigint | Date | undefined, side: "from" | "to"): Promise<bigint | undefined> {
  if (bound === undefined || typeof bound === "bigint") return bound;
  const row =
    side === "from"
      ? await prisma.auditEvent.findFirst({ where: { occurredAt: { gte: bound } }, orderBy: { seq: "asc" }, select: { seq: true } })
      : await prisma.auditEvent.findFirst({ where: { occurredAt: { lte: bound } }, orderBy: { seq: "desc" }, select: { seq: true } });
  // Nothing at/after `from`: an empty range; nothing at/before `to`: also empty.
  return row?.seq ?? (side === "from" ? 2n ** 62n : -1n);
}

/**
 * Streams the stored chain in pages and proves it: every link and hash from the anchor (or the
 * row before `from`, whose own hash must recompute) through `to`, and every signed checkpoint
 * in that span: its signature, and that it names the stored hash of its row. A checkpoint
 * beyond the last stored event means events were cut off the end, which no link can show.
 */
export async function verifyStoredChain(prisma: PrismaClient, opts: VerifyStoredOptions = {}): Promise<AuditVerifyReport> {
  const pageSize = opts.pageSize ?? 1000;
  const base = await chainAnchor(prisma);
  const from = await resolveBound(prisma, opts.from, "from");
  const to = await resolveBound(prisma, opts.to, "to");

  let anchor: AuditVerifyReport["anchor"] = { kind: base.kind, seq: base.seq.toString(), hash: base.hash };
  const problems: CheckpointProblem[] = [];
  if (from !== undefined && from > base.seq + 1n) {
    const before = await prisma.auditEvent.findFirst({ where: { seq: { lt: from, gt: base.seq } }, orderBy: { seq: "desc" } });
    if (before) {
      anchor = { kind: "preceding-row", seq: before.seq.toString(), hash: before.hash };
      if (hashEvent(before.prevHash, before) !== before.hash) {
        const broken: ChainBreak = { seq: before.seq.toString(), id: before.id, reason: "hash mismatch", expected: hashEvent(before.prevHash, before), actual: before.hash };
        return { ok: false, anchor, checked: 1, lastHash: before.prevHash, firstBroken: broken, checkpoints: { checked: 0, unverifiedSignatures: 0, problems } };
      }
    }
  }

  const checkpoints = await prisma.auditCheckpoint.findMany({
    where: { seq: { gte: BigInt(anchor.seq), ...(to !== undefined ? { lte: to } : {}) } },
    orderBy: { seq: "asc" },
  });
  let unverified = 0;
  const bySeq = new Map<bigint, AuditCheckpoint>();
  for (const c of checkpoints) {
    bySeq.set(c.seq, c);
    const key = opts.keys?.get(c.keyId);
    if (!opts.keys || opts.keys.size === 0) unverified++;
    else if (!key) problems.push({ seq: c.seq.toString(), problem: `signed by unknown key ${c.keyId}` });
    else if (!verifyCheckpointSignature(key, c)) problems.push({ seq: c.seq.toString(), problem: "signature does not verify" });
  }
  const anchorCheckpoint = bySeq.get(BigInt(anchor.seq));
  if (anchor.kind === "archive" ? anchorCheckpoint?.headHash !== anchor.hash : anchorCheckpoint && anchorCheckpoint.headHash !== anchor.hash) {
    problems.push({ seq: anchor.seq, problem: "the checkpoint the check starts from is missing or names another head hash" });
  }
  if (anchor.kind === "archive") {
    // The archived head event stays stored (new events link to it); it must still be that event.
    const head = await prisma.auditEvent.findUnique({ where: { seq: BigInt(anchor.seq) } });
    if (head && (head.hash !== anchor.hash || hashEvent(head.prevHash, head) !== head.hash)) {
      problems.push({ seq: anchor.seq, problem: "the stored event at the archived checkpoint no longer matches its signed hash" });
    }
  }

  const verifier = createChainVerifier(anchor.hash, anchor.kind === "genesis" ? undefined : anchor.seq);
  let cursor = BigInt(anchor.seq);
  let seen = 0n;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: { seq: { gt: cursor, ...(to !== undefined ? { lte: to } : {}) } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    if (rows.length === 0) break;
    if (verifier.push(rows)) break;
    for (const row of rows) {
      const c = bySeq.get(row.seq);
      if (c && c.headHash !== row.hash) problems.push({ seq: c.seq.toString(), problem: "checkpoint head hash differs from the stored event" });
    }
    cursor = rows[rows.length - 1]!.seq;
    seen = cursor;
  }
  const result = verifier.result();
  if (!result.firstBroken) {
    for (const c of checkpoints) {
      if (c.seq > seen && c.seq > BigInt(anchor.seq)) problems.push({ seq: c.seq.toString(), problem: `no stored event at this signed checkpoint: events after seq ${seen} are missing` });
    }
  }
  return {
    ok: result.ok && problems.length === 0,
    anchor,
    ...(to !== undefined ? { toSeq: to.toString() } : {}),
    checked: result.checked,
    ...(result.lastSeq !== undefined ? { lastSeq: result.lastSeq } : {}),
    lastHash: result.lastHash,
    ...(result.firstBroken ? { firstBroken: result.firstBroken } : {}),
    checkpoints: { checked: checkpoints.length, unverifiedSignatures: unverified, problems },
  };
}
