import { rateLimitHeaders } from "@portcullis/policy";
import { expect, it } from "vitest";
import type { SuiteContext } from "./counters.suite";
import { admitRequest, budget, rate, settleRequest, t0 } from "./suite-fixtures";
import type { AdmitDenied, AdmitOk, AdmitResult, LimitLevel } from "./types";

const levels: LimitLevel[] = ["customer", "team", "virtual_key", "provider_key", "tenant"];

function admitted(r: AdmitResult): AdmitOk {
  if (!r.ok) throw new Error(`expected admission, denied by ${r.rule.level} ${r.rule.id} (${r.kind})`);
  return r;
}

function denied(r: AdmitResult): AdmitDenied {
  if (r.ok) throw new Error("expected a denial, was admitted");
  return r;
}

export function admissionCases(ctx: SuiteContext): void {
  it("admits at every level, reserving the maximum cost at each budget and counting every window", async () => {
    const c = await ctx.counters();
    const budgets = levels.map((l) => budget(`b-${l}`, l, 10_000));
    const rates = levels.map((l, i) => rate(`r-${l}`, l, { rpm: 10 + i, tpm: 5_000 }));
    const res = admitted(await c.admit(admitRequest({ now: t0, rates, budgets, estimatedTokens: 700, maxCostMicros: 1_000 })));
    expect(res.duplicate).toBe(false);
    for (const b of budgets) expect(await c.spend(b, t0)).toMatchObject({ spentMicros: 0, reservedMicros: 1_000 });
    expect(res.rateStatus).toHaveLength(10);
    const rpm = res.rateStatus.filter((s) => s.kind === "rpm").map((s) => [s.rule.id, s.limit, s.remaining, s.resetMs]);
    expect(rpm).toEqual(levels.map((l, i) => [`r-${l}`, 10 + i, 9 + i, 60_000]));
    const tpm = res.rateStatus.filter((s) => s.kind === "tpm").map((s) => s.remaining);
    expect(tpm).toEqual([4_300, 4_300, 4_300, 4_300, 4_300]);
    // The tightest window drives the headers: the customer rule (10 rpm).
    expect(rateLimitHeaders(res.rateStatus)).toMatchObject({ "x-ratelimit-limit-requests": "10", "x-ratelimit-remaining-requests": "9" });
  });

  it("denies a budget naming its level and rule, with when it resets", async () => {
    const c = await ctx.counters();
    const team = { ...budget("team_ml", "team", 1_500), label: "ml-research" };
    const budgets = [budget("cust", "customer", 100_000), team, budget("key", "virtual_key", 100_000)];
    admitted(await c.admit(admitRequest({ now: t0, budgets, maxCostMicros: 1_000 })));
    const d = denied(await c.admit(admitRequest({ now: t0 + 1, budgets, maxCostMicros: 1_000 })));
    expect(d).toMatchObject({ reason: "budget_exceeded", kind: "budget", limit: 1_500, current: 1_000 });
    expect(d.rule).toMatchObject({ id: "team_ml", level: "team", label: "ml-research" });
    expect(d.resetsAt?.toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(d.retryAfterSeconds).toBeUndefined();
  });

  it("denies RPM and TPM naming the rule, with Retry-After from the oldest entry", async () => {
    const c = await ctx.counters();
    const key = rate("rl_key", "virtual_key", { rpm: 1 });
    const team = rate("rl_team", "team", { tpm: 1_000 });
    admitted(await c.admit(admitRequest({ now: t0, rates: [key, team], estimatedTokens: 600 })));
    const byRpm = denied(await c.admit(admitRequest({ now: t0 + 20_000, rates: [key, team], estimatedTokens: 100 })));
    expect(byRpm).toMatchObject({ reason: "rate_limited", kind: "rpm", limit: 1, current: 1, retryAfterSeconds: 40 });
    expect(byRpm.rule).toMatchObject({ id: "rl_key", level: "virtual_key" });
    const byTpm = denied(await c.admit(admitRequest({ now: t0 + 20_000, rates: [team], estimatedTokens: 500 })));
    expect(byTpm).toMatchObject({ reason: "rate_limited", kind: "tpm", limit: 1_000, current: 600, retryAfterSeconds: 40 });
    expect(byTpm.rule.id).toBe("rl_team");
    // A request larger than the whole limit can never pass: no Retry-After to promise.
    const never = denied(await c.admit(admitRequest({ now: t0 + 20_000, rates: [team], estimatedTokens: 1_001 })));
    expect(never.retryAfterSeconds).toBeUndefined();
  });

  it("is all-or-nothing: a denial at any level reserves and counts nothing", async () => {
    const c = await ctx.counters();
    const cust = budget("cust", "customer", 10_000);
    const team = budget("team", "team", 10_000);
    const key = budget("key", "virtual_key", 500);
    const limit = rate("rl", "virtual_key", { rpm: 5, tpm: 10_000 });
    const d = denied(await c.admit(admitRequest({ now: t0, rates: [limit], budgets: [cust, team, key], estimatedTokens: 900, maxCostMicros: 1_000 })));
    expect(d.rule.id).toBe("key");
    for (const b of [cust, team, key]) expect((await c.spend(b, t0)).reservedMicros).toBe(0);
    const ok = admitted(await c.admit(admitRequest({ now: t0, rates: [limit], budgets: [cust, team, key], estimatedTokens: 900, maxCostMicros: 400 })));
    expect(ok.rateStatus.map((s) => [s.kind, s.remaining])).toEqual([["rpm", 4], ["tpm", 9_100]]);
    // With two exhausted levels the answer names the first in order.
    const both = denied(await c.admit(admitRequest({ now: t0, budgets: [cust, key, budget("team2", "team", 100)], maxCostMicros: 200 })));
    expect(both.rule.id).toBe("key");
    // A rate denial after the budgets were checked leaves them untouched too.
    const one = rate("rl_one", "team", { rpm: 1 });
    admitted(await c.admit(admitRequest({ now: t0, rates: [one], budgets: [cust], maxCostMicros: 100 })));
    denied(await c.admit(admitRequest({ now: t0, rates: [one], budgets: [cust], maxCostMicros: 100 })));
    expect((await c.spend(cust, t0)).reservedMicros).toBe(500);
  });

  it("settles once per (requestId, attempt); a repeat changes nothing", async () => {
    const c = await ctx.counters();
    const b = budget("b", "team", 10_000);
    const req = admitRequest({ now: t0, budgets: [b], maxCostMicros: 2_000 });
    admitted(await c.admit(req));
    expect(await c.settle(settleRequest(req, { now: t0 + 5, actualCostMicros: 700, actualTokens: 50 }))).toEqual({ status: "settled", crossings: [] });
    expect((await c.settle(settleRequest(req, { now: t0 + 6, actualCostMicros: 900, actualTokens: 50 }))).status).toBe("duplicate");
    expect(await c.spend(b, t0 + 7)).toMatchObject({ spentMicros: 700, reservedMicros: 0 });
    // A retry is a new attempt with its own reservation.
    const retry = { ...req, attempt: 1, now: t0 + 8 };
    admitted(await c.admit(retry));
    expect((await c.spend(b, t0 + 8)).reservedMicros).toBe(2_000);
    await c.settle(settleRequest(retry, { now: t0 + 9, actualCostMicros: 300 }));
    expect(await c.spend(b, t0 + 9)).toMatchObject({ spentMicros: 1_000, reservedMicros: 0 });
  });

  it("admits the same (requestId, attempt) once, reserving once", async () => {
    const c = await ctx.counters();
    const b = budget("b", "team", 10_000);
    const req = admitRequest({ now: t0, budgets: [b], rates: [rate("rl", "team", { rpm: 10 })], maxCostMicros: 1_000 });
    const first = admitted(await c.admit(req));
    const again = admitted(await c.admit(req));
    expect(again).toMatchObject({ duplicate: true, reservationId: first.reservationId });
    expect((await c.spend(b, t0)).reservedMicros).toBe(1_000);
  });

  it("releases the reservation and the token estimate of a failed request", async () => {
    const c = await ctx.counters();
    const b = budget("b", "customer", 5_000);
    const limit = rate("rl", "team", { tpm: 1_000 });
    const req = admitRequest({ now: t0, budgets: [b], rates: [limit], estimatedTokens: 800, maxCostMicros: 5_000 });
    admitted(await c.admit(req));
    denied(await c.admit(admitRequest({ now: t0 + 1, budgets: [b], maxCostMicros: 1 })));
    expect((await c.settle(settleRequest(req, { now: t0 + 2 }))).status).toBe("settled");
    expect(await c.spend(b, t0 + 2)).toMatchObject({ spentMicros: 0, reservedMicros: 0 });
    const next = admitted(await c.admit(admitRequest({ now: t0 + 3, budgets: [b], rates: [limit], estimatedTokens: 1_000, maxCostMicros: 5_000 })));
    expect(next.rateStatus[0]?.remaining).toBe(0);
  });

  it("bills what a broken stream used, and all of an overrun", async () => {
    const c = await ctx.counters();
    const b = budget("b", "virtual_key", 100_000);
    const broken = admitRequest({ now: t0, budgets: [b], maxCostMicros: 5_000, estimatedTokens: 4_000 });
    admitted(await c.admit(broken));
    await c.settle(settleRequest(broken, { now: t0 + 10, actualCostMicros: 1_234, actualTokens: 321 }));
    expect(await c.spend(b, t0 + 10)).toMatchObject({ spentMicros: 1_234, reservedMicros: 0 });
    const overrun = admitRequest({ now: t0 + 11, budgets: [b], maxCostMicros: 5_000 });
    admitted(await c.admit(overrun));
    await c.settle(settleRequest(overrun, { now: t0 + 12, actualCostMicros: 6_000 }));
    expect(await c.spend(b, t0 + 12)).toMatchObject({ spentMicros: 7_234, reservedMicros: 0 });
  });

  it("counts the TPM estimate at admission and corrects it to the actual tokens at settlement", async () => {
    const c = await ctx.counters();
    const limit = rate("rl", "team", { tpm: 1_000 });
    const a = admitRequest({ now: t0, rates: [limit], estimatedTokens: 800 });
    admitted(await c.admit(a));
    const d = denied(await c.admit(admitRequest({ now: t0 + 1_000, rates: [limit], estimatedTokens: 300 })));
    expect(d.current).toBe(800);
    await c.settle(settleRequest(a, { now: t0 + 2_000, actualTokens: 100 }));
    const b = admitted(await c.admit(admitRequest({ now: t0 + 3_000, rates: [limit], estimatedTokens: 300 })));
    expect(b.rateStatus[0]).toMatchObject({ kind: "tpm", remaining: 600, resetMs: 59_000 });
    // Using more than estimated counts fully too.
    const big = admitRequest({ now: t0 + 4_000, rates: [limit], estimatedTokens: 10 });
    admitted(await c.admit(big));
    await c.settle(settleRequest(big, { now: t0 + 4_000, actualTokens: 600 }));
    expect(denied(await c.admit(admitRequest({ now: t0 + 5_000, rates: [limit], estimatedTokens: 1 }))).current).toBe(1_000);
  });

  it("records usage for a request admitted elsewhere when replay rules are given, once", async () => {
    const c = await ctx.counters();
    const b = budget("b", "team", 10_000);
    const limit = rate("rl", "team", { rpm: 2, tpm: 1_000 });
    const orphan = { requestId: "req_orphan", attempt: 0 };
    expect((await c.settle(settleRequest(orphan, { now: t0, actualCostMicros: 500 }))).status).toBe("unknown");
    const replay = { rates: [limit], budgets: [b], admittedAt: t0 - 10_000 };
    expect((await c.settle(settleRequest(orphan, { now: t0, actualCostMicros: 500, actualTokens: 900, replay }))).status).toBe("settled");
    expect((await c.settle(settleRequest(orphan, { now: t0, actualCostMicros: 500, actualTokens: 900, replay }))).status).toBe("duplicate");
    expect((await c.spend(b, t0)).spentMicros).toBe(500);
    const next = admitted(await c.admit(admitRequest({ now: t0 + 1, rates: [limit], estimatedTokens: 100 })));
    expect(next.rateStatus.map((s) => s.remaining)).toEqual([0, 0]);
  });

  it("never lets concurrent admissions overshoot any level", async () => {
    const c = await ctx.counters();
    const cost = 1_000;
    const budgets = [budget("cust", "customer", 50 * cost + cost / 2), budget("team", "team", 60 * cost), budget("key", "virtual_key", 80 * cost)];
    const results = await Promise.all(
      Array.from({ length: 500 }, () => c.admit(admitRequest({ now: t0, budgets, maxCostMicros: cost }))),
    );
    const ok = results.filter((r): r is AdmitOk => r.ok);
    expect(ok).toHaveLength(50);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.rule.id === "cust")).toBe(true);
    await Promise.all(ok.map((r) => {
      const [requestId, attempt] = r.reservationId.split(":");
      return c.settle({ requestId: requestId!, attempt: Number(attempt), actualCostMicros: cost, actualTokens: 0, now: t0 + 1 });
    }));
    for (const b of budgets) {
      const s = await c.spend(b, t0 + 1);
      expect(s).toMatchObject({ spentMicros: 50 * cost, reservedMicros: 0 });
      expect(s.spentMicros).toBeLessThanOrEqual(b.limitMicros);
    }
    const rpm = rate("rl", "team", { rpm: 37 });
    const rated = await Promise.all(Array.from({ length: 500 }, () => c.admit(admitRequest({ now: t0, rates: [rpm] }))));
    expect(rated.filter((r) => r.ok)).toHaveLength(37);
  });
}
