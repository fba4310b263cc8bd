import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent } from "./canonical";
import { createChainVerifier, verifyChain, type ChainRow } from "./verify";

/** A valid chain of n rows with the given seq numbers (default 1..n). */
function chain(n: number, seqs: number[] = Array.from({ length: n }, (_, i) => i + 1)): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const fields = { id: `evt_${i}`, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), actorType: "system", action: "test.append", outcome: "success", metadata: { i } };
    const hash = hashEvent(prev, fields);
    rows.push({ ...fields, seq: BigInt(seqs[i]!), prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("verifyChain", () => {
  it("accepts an intact chain and reports its head", () => {
    const rows = chain(5);
    expect(verifyChain(rows, GENESIS_HASH)).toEqual({ ok: true, checked: 5, lastSeq: "5", lastHash: rows[4]!.hash });
  });

  it("accepts seq numbers skipped by rolled-back appends when the links hold", () => {
    expect(verifyChain(chain(3, [1, 4, 9]), GENESIS_HASH).ok).toBe(true);
  });

  it("names the edited row with 'hash mismatch'", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, metadata: { i: 99 } };
    const r = verifyChain(rows, GENESIS_HASH);
    expect(r).toMatchObject({ ok: false, checked: 3, lastSeq: "2", firstBroken: { seq: "3", id: "evt_2", reason: "hash mismatch", after: { seq: "2", id: "evt_1" } } });
    expect(r.firstBroken!.actual).toBe(rows[2]!.hash);
  });

  it("names a row whose prev_hash was rewritten", () => {
    const rows = chain(4);
    rows[1] = { ...rows[1]!, prevHash: "a".repeat(64) };
    expect(verifyChain(rows, GENESIS_HASH).firstBroken).toMatchObject({ seq: "2", reason: "prev_hash mismatch", expected: rows[0]!.hash });
  });

  it("reports a re-hashed row at the next link, which no longer points at it", () => {
    const rows = chain(4);
    const edited = { ...rows[1]!, metadata: { i: 7 } };
    rows[1] = { ...edited, hash: hashEvent(edited.prevHash, edited) };
    expect(verifyChain(rows, GENESIS_HASH).firstBroken).toMatchObject({ seq: "3", reason: "prev_hash mismatch", after: { seq: "2" } });
  });

  it("calls deleted rows a gap", () => {
    const rows = chain(5);
    rows.splice(2, 1);
    expect(verifyChain(rows, GENESIS_HASH).firstBroken).toMatchObject({ seq: "4", id: "evt_3", reason: "gap", after: { seq: "2" } });
  });

  it("detects the deletion of the first rows against a known start seq", () => {
    const rows = chain(5).slice(2);
    expect(verifyChain(rows, GENESIS_HASH, 0).firstBroken).toMatchObject({ seq: "3", reason: "gap" });
    expect(verifyChain(rows, rows[0]!.prevHash, 2).ok).toBe(true);
  });

  it("treats a malformed prev_hash as a broken row instead of throwing", () => {
    const rows = chain(2);
    rows[1] = { ...rows[1]!, prevHash: "zz" };
    expect(verifyChain(rows, GENESIS_HASH).firstBroken?.reason).toBe("prev_hash mismatch");
    expect(verifyChain([{ ...chain(1)[0]!, prevHash: "zz" }], "zz").firstBroken?.reason).toBe("hash mismatch");
  });

  it("gives the same answer fed page by page, and stops at the first break", () => {
    const rows = chain(10);
    rows[6] = { ...rows[6]!, action: "tampered" };
    rows[8] = { ...rows[8]!, action: "tampered too" };
    const v = createChainVerifier(GENESIS_HASH);
    expect(v.push(rows.slice(0, 4))).toBeUndefined();
    expect(v.push(rows.slice(4, 8))).toMatchObject({ seq: "7" });
    expect(v.push(rows.slice(8))).toMatchObject({ seq: "7" });
    expect(v.result()).toEqual(verifyChain(rows, GENESIS_HASH));
  });

  it("accepts an empty range", () => {
    expect(verifyChain([], GENESIS_HASH)).toEqual({ ok: true, checked: 0, lastHash: GENESIS_HASH });
  });
});
