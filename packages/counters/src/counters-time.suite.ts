import { expect, it } from "vitest";
import type { SuiteContext } from "./counters.suite";
import { admitRequest, budget, hour, rate, second, settleRequest, t0 } from "./suite-fixtures";
import type { AdmitDenied, AdmitResult } from "./types";

function denial(r: AdmitResult): AdmitDenied {
  if (r.ok) throw new Error("expected a denial, was admitted");
  return r;
}

export function timeCases(ctx: SuiteContext): void {
  it("slides RPM windows exactly: an entry leaves at admittedAt + window, not at a bucket edge", async () => {
    const c = await ctx.counters();
    const limit = rate("rl", "virtual_key", { rpm: 2, windowSeconds: 60 });
    const admit = (now: number) => c.admit(admitRequest({ now, rates: [limit] }));
    expect((await admit(t0)).ok).toBe(true);
    const second2 = await admit(t0 + 30 * second);
    expect(second2.ok && second2.rateStatus[0]).toMatchObject({ remaining: 0, resetMs: 30_000 });
    expect(denial(await admit(t0 + 45 * second))).toMatchObject({ current: 2, retryAfterSeconds: 15 });
    expect(denial(await admit(t0 + 60 * second - 1))).toMatchObject({ current: 2, retryAfterSeconds: 1 });
    expect((await admit(t0 + 60 * second)).ok).toBe(true);
    expect((await admit(t0 + 90 * second - 1)).ok).toBe(false);
    expect((await admit(t0 + 90 * second)).ok).toBe(true);
  });

  it("slides TPM windows exactly at their edges", async () => {
    const c = await ctx.counters();
    const limit = rate("rl", "team", { tpm: 1_000, windowSeconds: 60 });
    const a = admitRequest({ now: t0, rates: [limit], estimatedTokens: 600 });
    await c.admit(a);
    await c.settle(settleRequest(a, { now: t0, actualTokens: 600 }));
    const b = admitRequest({ now: t0 + 10 * second, rates: [limit], estimatedTokens: 400 });
    await c.admit(b);
    await c.settle(settleRequest(b, { now: t0 + 10 * second, actualTokens: 400 }));
    const late = denial(await c.admit(admitRequest({ now: t0 + 60 * second - 1, rates: [limit], estimatedTokens: 500 })));
    expect(late).toMatchObject({ kind: "tpm", current: 1_000, retryAfterSeconds: 1 });
    const onEdge = await c.admit(admitRequest({ now: t0 + 60 * second, rates: [limit], estimatedTokens: 500 }));
    expect(onEdge.ok && onEdge.rateStatus[0]).toMatchObject({ remaining: 100, resetMs: 10_000 });
    // Longer windows work the same way.
    const hourly = rate("rl_h", "team", { rpm: 1, windowSeconds: 3600 });
    await c.admit(admitRequest({ now: t0, rates: [hourly] }));
    expect(denial(await c.admit(admitRequest({ now: t0 + hour - 1, rates: [hourly] }))).retryAfterSeconds).toBe(1);
    expect((await c.admit(admitRequest({ now: t0 + hour, rates: [hourly] }))).ok).toBe(true);
  });

  it("resets a monthly budget at midnight in America/New_York, not at UTC midnight", async () => {
    const c = await ctx.counters();
    const ny = budget("b_ny", "customer", 1_000, { timeZone: "America/New_York" });
    const utc = budget("b_utc", "customer", 1_000);
    for (const b of [ny, utc]) {
      const r = admitRequest({ now: Date.parse("2026-01-31T20:00:00Z"), budgets: [b], maxCostMicros: 1_000 });
      expect((await c.admit(r)).ok).toBe(true);
      await c.settle(settleRequest(r, { now: r.now + 1, actualCostMicros: 1_000 }));
    }
    const utcMidnight = Date.parse("2026-02-01T00:00:00Z"); // 19:00 on 31 January in New York
    expect((await c.admit(admitRequest({ now: utcMidnight, budgets: [utc], maxCostMicros: 1 }))).ok).toBe(true);
    const stillJanuary = denial(await c.admit(admitRequest({ now: utcMidnight, budgets: [ny], maxCostMicros: 1 })));
    expect(stillJanuary.resetsAt?.toISOString()).toBe("2026-02-01T05:00:00.000Z");
    expect((await c.admit(admitRequest({ now: Date.parse("2026-02-01T04:59:59.999Z"), budgets: [ny], maxCostMicros: 1 }))).ok).toBe(false);
    const nyMidnight = Date.parse("2026-02-01T05:00:00Z");
    expect((await c.admit(admitRequest({ now: nyMidnight, budgets: [ny], maxCostMicros: 1 }))).ok).toBe(true);
    expect(await c.spend(ny, nyMidnight)).toEqual({
      spentMicros: 0, reservedMicros: 1, periodStartMs: nyMidnight, resetsAt: new Date("2026-03-01T05:00:00Z"),
    });
    expect((await c.spend(ny, nyMidnight - 1)).spentMicros).toBe(1_000);
  });

  it("rolls non-aligned budgets from their anchor", async () => {
    const c = await ctx.counters();
    const rolling = budget("b_roll", "team", 1_000, { period: "day", calendarAligned: false, periodStartMs: t0 - 3 * 24 * hour });
    const r = admitRequest({ now: t0 + hour, budgets: [rolling], maxCostMicros: 1_000 });
    expect((await c.admit(r)).ok).toBe(true);
    await c.settle(settleRequest(r, { now: t0 + hour, actualCostMicros: 1_000 }));
    const d = denial(await c.admit(admitRequest({ now: t0 + 24 * hour - 1, budgets: [rolling], maxCostMicros: 1 })));
    expect(d.resetsAt?.getTime()).toBe(t0 + 24 * hour);
    expect((await c.admit(admitRequest({ now: t0 + 24 * hour, budgets: [rolling], maxCostMicros: 1 }))).ok).toBe(true);
  });

  it("reports a soft threshold exactly once per period", async () => {
    const c = await ctx.counters();
    const b = budget("b_soft", "team", 1_000, { period: "day", softThresholdPct: 80, label: "ml-research" });
    const spendAt = async (now: number, cost: number) => {
      const r = admitRequest({ now, budgets: [b], maxCostMicros: cost });
      expect((await c.admit(r)).ok).toBe(true);
      const first = await c.settle(settleRequest(r, { now, actualCostMicros: cost }));
      expect((await c.settle(settleRequest(r, { now, actualCostMicros: cost }))).crossings).toEqual([]);
      return first.crossings;
    };
    expect(await spendAt(t0, 500)).toEqual([]);
    expect(await spendAt(t0 + 1, 299)).toEqual([]);
    const dayStart = Date.UTC(2026, 4, 12);
    expect(await spendAt(t0 + 2, 1)).toEqual([
      { budget: { id: "b_soft", level: "team", label: "ml-research" }, limitMicros: 1_000, spentMicros: 800, thresholdPct: 80, periodStartMs: dayStart },
    ]);
    expect(await spendAt(t0 + 3, 100)).toEqual([]);
    const next = await spendAt(t0 + 24 * hour, 900);
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ spentMicros: 900, periodStartMs: dayStart + 24 * hour });
  });

  it("gives back reservations that expire unsettled, and still bills a late settle", async () => {
    const c = await ctx.counters();
    const b = budget("b_exp", "virtual_key", 1_000);
    const lost = admitRequest({ now: t0, budgets: [b], maxCostMicros: 1_000, reservationTtlMs: 1_000 });
    expect((await c.admit(lost)).ok).toBe(true);
    expect(denial(await c.admit(admitRequest({ now: t0 + 999, budgets: [b], maxCostMicros: 1 }))).current).toBe(1_000);
    expect((await c.spend(b, t0 + 999)).reservedMicros).toBe(1_000);
    expect((await c.spend(b, t0 + 1_000)).reservedMicros).toBe(0);
    const next = admitRequest({ now: t0 + 1_000, budgets: [b], maxCostMicros: 600, reservationTtlMs: 60_000 });
    expect((await c.admit(next)).ok).toBe(true);
    // The expired request did run: its settlement bills it without releasing anything twice.
    expect((await c.settle(settleRequest(lost, { now: t0 + 1_500, actualCostMicros: 200 }))).status).toBe("settled");
    expect(await c.spend(b, t0 + 1_500)).toMatchObject({ spentMicros: 200, reservedMicros: 600 });
    // Expiry is reclaimed by admissions too, not only by reads.
    const another = admitRequest({ now: t0 + 2_000, budgets: [budget("b_exp2", "team", 500)], maxCostMicros: 500, reservationTtlMs: 10 });
    expect((await c.admit(another)).ok).toBe(true);
    expect((await c.admit(admitRequest({ now: t0 + 2_010, budgets: [budget("b_exp2", "team", 500)], maxCostMicros: 500 }))).ok).toBe(true);
  });

  it("never resets a lifetime budget", async () => {
    const c = await ctx.counters();
    const b = budget("b_life", "tenant", 1_000, { period: "lifetime" });
    const r = admitRequest({ now: t0, budgets: [b], maxCostMicros: 900 });
    expect((await c.admit(r)).ok).toBe(true);
    await c.settle(settleRequest(r, { now: t0, actualCostMicros: 900 }));
    const years = Date.UTC(2031, 0, 1);
    const d = denial(await c.admit(admitRequest({ now: years, budgets: [b], maxCostMicros: 200 })));
    expect(d).toMatchObject({ kind: "budget", current: 900 });
    expect(d.resetsAt).toBeUndefined();
    expect((await c.admit(admitRequest({ now: years, budgets: [b], maxCostMicros: 100 }))).ok).toBe(true);
    expect(await c.spend(b, years)).toEqual({ spentMicros: 900, reservedMicros: 100, periodStartMs: 0 });
  });
}
