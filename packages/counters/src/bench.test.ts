import { describe, expect, it } from "vitest";
import { benchAdmit } from "./bench";
import { createMemoryCounters } from "./memory-counters";

describe("benchAdmit", () => {
  it("runs n admit + settle pairs and leaves the spend they settled", async () => {
    const counters = createMemoryCounters();
    const r = await benchAdmit(counters, 200, "b1");
    expect(r.operations).toBe(200);
    expect(r.pairsPerSecond).toBeGreaterThan(0);
    expect(r.admitP99Ms).toBeGreaterThanOrEqual(r.admitP50Ms);
    const spend = await counters.spend(
      { id: "b1-team", level: "team", label: "team", limitMicros: 2_000_000, period: "month", timeZone: "UTC", calendarAligned: true, periodStartMs: 0, softThresholdPct: 80 },
      Date.now(),
    );
    expect(spend).toMatchObject({ spentMicros: 200 * 2_000, reservedMicros: 0 });
  });
});
