import { hashEvent, type AuditHashInput } from "./canonical";

/** A stored audit row as the verifier needs it (extra columns are ignored). */
export type ChainRow = AuditHashInput & {
  seq: bigint | number | string;
  prevHash: string;
  hash: string;
};

/**
 * Why a link is broken:
 * - "hash mismatch": the row's content (or hash) was changed: its hash does not recompute.
 * - "prev_hash mismatch": the row does not point at the row before it although no seq number
 *   is missing between them (its prev_hash was rewritten, or the row before it was re-hashed).
 * - "gap": the row does not point at the row before it and seq numbers are missing between
 *   them: rows were deleted. (A rolled-back append also skips a seq number, but then the link
 *   is intact and nothing is reported.)
 */
export type ChainBreakReason = "hash mismatch" | "prev_hash mismatch" | "gap";

export interface ChainBreak {
  seq: string;
  id: string;
  reason: ChainBreakReason;
  /** The last intact row before the break, when there is one. */
  after?: { seq: string; id: string };
  expected: string;
  actual: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Rows checked up to and including the first broken one. */
  checked: number;
  /** Seq and hash of the last intact row (the start values when none was checked). */
  lastSeq?: string;
  lastHash: string;
  firstBroken?: ChainBreak;
}

export interface ChainVerifier {
  /** Checks the next rows (in seq order); returns the first break, after which it stops. */
  push(rows: Iterable<ChainRow>): ChainBreak | undefined;
  result(): VerifyResult;
}

/**
 * Incremental verifier, so a caller can stream pages of rows. `startPrevHash` is the hash the
 * first row must point at: GENESIS_HASH for a full chain, a signed checkpoint's head hash after
 * an archive, or the hash of the row before a partial range. `startSeq` is that row's seq, when
 * known, so that a deletion right after it is reported as a gap.
 */
export function createChainVerifier(startPrevHash: string, startSeq?: bigint | number | string): ChainVerifier {
  let prevHash = startPrevHash;
  let prev: { seq: bigint; id?: string } | undefined = startSeq === undefined ? undefined : { seq: BigInt(startSeq) };
  let checked = 0;
  let broken: ChainBreak | undefined;

  const check = (row: ChainRow): ChainBreak | undefined => {
    const seq = BigInt(row.seq);
    const after = prev?.id !== undefined ? { seq: prev.seq.toString(), id: prev.id } : undefined;
    if (row.prevHash !== prevHash) {
      const missing = prev !== undefined && seq > prev.seq + 1n;
      return { seq: seq.toString(), id: row.id, reason: missing ? "gap" : "prev_hash mismatch", after, expected: prevHash, actual: row.prevHash };
    }
    let recomputed: string;
    try {
      recomputed = hashEvent(row.prevHash, row);
    } catch (e) {
      recomputed = `(cannot hash: ${(e as Error).message})`;
    }
    if (recomputed !== row.hash) return { seq: seq.toString(), id: row.id, reason: "hash mismatch", after, expected: recomputed, actual: row.hash };
    prevHash = row.hash;
    prev = { seq, id: row.id };
    return undefined;
  };

  return {
    push(rows) {
      if (broken) return broken;
      for (const row of rows) {
        checked++;
        broken = check(row);
        if (broken) return broken;
      }
      return undefined;
    },
    result() {
      return {
        ok: broken === undefined,
        checked,
        ...(prev ? { lastSeq: prev.seq.toString() } : {}),
        lastHash: prevHash,
        ...(broken ? { firstBroken: broken } : {}),
      };
    },
  };
}

/** Verifies rows given in seq order against the hash the first one must point at. */
export function verifyChain(rows: Iterable<ChainRow>, startPrevHash: string, startSeq?: bigint | number | string): VerifyResult {
  const verifier = createChainVerifier(startPrevHash, startSeq);
  verifier.push(rows);
  return verifier.result();
}
