import { describe, expect, it } from "vitest";
import { describeReport, parseBound } from "./audit";

describe("audit command helpers", () => {
  it("reads --from/--to as a seq number or an ISO time", () => {
    expect(parseBound("42", "--from")).toBe(42n);
    expect(parseBound("2026-01-02T03:04:05Z", "--to")).toEqual(new Date("2026-01-02T03:04:05Z"));
    expect(parseBound(undefined, "--to")).toBeUndefined();
    expect(() => parseBound("last tuesday", "--from")).toThrow(/--from must be a seq number or an ISO-8601 time/);
  });

  it("names the first broken link and fails", () => {
    const lines = describeReport({
      ok: false,
      anchor: { kind: "genesis", seq: "0", hash: "0".repeat(64) },
      checked: 7,
      lastSeq: "6",
      lastHash: "a".repeat(64),
      firstBroken: { seq: "7", id: "evt_7", reason: "hash mismatch", after: { seq: "6", id: "evt_6" }, expected: "b".repeat(64), actual: "c".repeat(64) },
      checkpoints: { checked: 1, unverifiedSignatures: 0, problems: [] },
    });
    expect(lines[0]).toBe("BROKEN at seq 7 (evt_7): hash mismatch");
    expect(lines).toContain("  last intact event: seq 6 (evt_6)");
    expect(lines.at(-1)).toBe("FAILED");
  });

  it("says when checkpoint signatures could not be checked", () => {
    const lines = describeReport({ ok: true, anchor: { kind: "archive", seq: "10", hash: "d".repeat(64) }, checked: 3, lastSeq: "13", lastHash: "e".repeat(64), checkpoints: { checked: 2, unverifiedSignatures: 2, problems: [] } });
    expect(lines[0]).toBe(`verified 3 event(s) from archived checkpoint seq 10 through seq 13; head ${"e".repeat(64)}`);
    expect(lines[1]).toBe("checkpoints: 2 in range, 2 signature(s) NOT verified (no key)");
    expect(lines.at(-1)).toBe("OK");
  });
});
