import { createChainVerifier, GENESIS_HASH, type VerifyResult } from "@portcullis/audit";
import type { PrismaClient } from "@portcullis/db";

const pageSize = 2000;

export interface ChainCheck extends VerifyResult {
  /** Where verification started: the genesis, or the head of the last retention archive. */
  startedFrom: "genesis" | "archive";
  /** True when the row cap was reached before the head: the result covers a prefix only. */
  partial: boolean;
  verifiedAt: string;
  durationMs: number;
}

/**
 * Re-hashes the audit chain from its start (or from the last archive's signed head) in
 * pages, stopping at the first broken link or after `maxRows`.
 */
export async function verifyAuditChain(prisma: PrismaClient, maxRows = 500_000, now: () => number = Date.now): Promise<ChainCheck> {
  const started = now();
  const archive = await prisma.auditArchive.findFirst({ orderBy: { checkpointSeq: "desc" } });
  const verifier = archive ? createChainVerifier(archive.headHash, archive.checkpointSeq) : createChainVerifier(GENESIS_HASH);
  let after = archive?.checkpointSeq ?? -1n;
  let seen = 0;
  let partial = false;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({ where: { seq: { gt: after } }, orderBy: { seq: "asc" }, take: pageSize });
    if (rows.length === 0) break;
    if (verifier.push(rows)) break;
    seen += rows.length;
    after = rows[rows.length - 1]!.seq;
    if (seen >= maxRows) {
      partial = true;
      break;
    }
  }
  return { ...verifier.result(), startedFrom: archive ? "archive" : "genesis", partial, verifiedAt: new Date(now()).toISOString(), durationMs: now() - started };
}
