import { PortcullisError } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import { withFailover, type CountersState } from "./failover";
import { createMemoryCounters } from "./memory-counters";
import { admitRequest, budget, settleRequest, t0 } from "./suite-fixtures";
import type { Counters } from "./types";

/** A primary that can be switched off (refuses) or made to hang, around a working memory store. */
function flakyPrimary() {
  const inner = createMemoryCounters();
  const ctl = { down: false, hang: false, loseReply: false, calls: 0 };
  const gate = async <T>(f: () => Promise<T>): Promise<T> => {
    ctl.calls++;
    if (ctl.hang) return new Promise<T>(() => {});
    if (ctl.down) throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
    if (ctl.loseReply) {
      // The command ran, but its answer never arrived.
      await f();
      throw new Error("Command timed out");
    }
    return f();
  };
  const counters: Counters = {
    admit: (r) => gate(() => inner.admit(r)),
    settle: (r) => gate(() => inner.settle(r)),
    spend: (b, now) => gate(() => inner.spend(b, now)),
    ping: () => gate(() => inner.ping()),
    close: () => inner.close(),
  };
  return { counters, inner, ctl };
}

function setup(mode: "open" | "closed", extra: { timeoutMs?: number; maxPendingSettles?: number } = {}) {
  const p = flakyPrimary();
  const fallback = createMemoryCounters();
  const states: CountersState[] = [];
  let clock = 0;
  const crossings: unknown[] = [];
  const counters = withFailover({
    primary: p.counters, fallback, mode, probeIntervalMs: 1_000, timeoutMs: extra.timeoutMs ?? 50,
    maxPendingSettles: extra.maxPendingSettles ?? 100,
    onModeChange: (s) => states.push(s), onReplayCrossings: (c) => crossings.push(...c), clock: () => clock,
  });
  return { p, fallback, counters, states, crossings, tick: (ms: number) => (clock += ms) };
}

const team = budget("team", "team", 10_000, { softThresholdPct: 50 });

describe("withFailover", () => {
  it("passes through while the primary answers", async () => {
    const { p, counters, states } = setup("closed");
    const r = admitRequest({ now: t0, budgets: [team], maxCostMicros: 1_000 });
    expect(await counters.admit(r)).toMatchObject({ ok: true, duplicate: false });
    expect(await counters.settle(settleRequest(r, { now: t0, actualCostMicros: 400 }))).toEqual({ status: "settled", crossings: [] });
    expect((await p.inner.spend(team, t0)).spentMicros).toBe(400);
    expect(states).toEqual([]);
  });

  it("closed: refuses admissions with counters_unavailable (503) and replays deferred settlements on recovery", async () => {
    const { p, counters, states, tick } = setup("closed");
    const r = admitRequest({ now: t0, budgets: [team], maxCostMicros: 6_000 });
    expect((await counters.admit(r)).ok).toBe(true);
    p.ctl.down = true;
    const err = await counters.admit(admitRequest({ now: t0, budgets: [team], maxCostMicros: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    expect(err).toMatchObject({ code: "counters_unavailable", status: 503, retryable: true });
    expect(states).toEqual(["unavailable"]);
    expect(await counters.settle(settleRequest(r, { now: t0 + 5, actualCostMicros: 5_500 }))).toEqual({ status: "deferred", crossings: [] });
    // The refused admission's release and the deferred settlement.
    expect(counters.stats().pendingSettles).toBe(2);
    // While down, calls fail fast without touching the primary until a probe is due.
    const calls = p.ctl.calls;
    await expect(counters.admit(admitRequest({ now: t0, budgets: [team] }))).rejects.toMatchObject({ code: "counters_unavailable" });
    expect(p.ctl.calls).toBe(calls);
    p.ctl.down = false;
    tick(1_000);
    expect(await counters.reconcile()).toBe(true);
    expect(states).toEqual(["unavailable", "healthy"]);
    expect(await p.inner.spend(team, t0 + 5)).toMatchObject({ spentMicros: 5_500, reservedMicros: 0 });
    expect(counters.stats().pendingSettles).toBe(0);
  });

  it("open: admits on the fallback, reports degraded, and replays fallback usage into the primary", async () => {
    const { p, fallback, counters, states, crossings, tick } = setup("open");
    p.ctl.down = true;
    const r = admitRequest({ now: t0, budgets: [team], maxCostMicros: 6_000 });
    expect(await counters.admit(r)).toMatchObject({ ok: true, degraded: true });
    expect(states).toEqual(["degraded"]);
    expect((await counters.settle(settleRequest(r, { now: t0 + 5, actualCostMicros: 6_000 }))).status).toBe("settled");
    expect((await fallback.spend(team, t0 + 5)).spentMicros).toBe(6_000);
    expect(counters.stats()).toMatchObject({ pendingSettles: 1, fallbackInFlight: 0 });
    p.ctl.down = false;
    // The next call after the probe interval starts a probe in the background and still answers from the fallback.
    tick(1_000);
    expect(await counters.admit(admitRequest({ now: t0 + 6, budgets: [team], maxCostMicros: 1 }))).toMatchObject({ degraded: true });
    expect(await counters.reconcile()).toBe(true);
    expect(states).toEqual(["degraded", "healthy"]);
    expect(await p.inner.spend(team, t0 + 6)).toMatchObject({ spentMicros: 6_000, reservedMicros: 0 });
    expect(crossings).toMatchObject([{ budget: { id: "team" }, spentMicros: 6_000 }]);
    const after = await counters.admit(admitRequest({ now: t0 + 7, budgets: [team], maxCostMicros: 5_000 }));
    expect(after.ok).toBe(false); // the primary now knows the 6 000 spent during the outage
  });

  it("open: a fallback-admitted request settled after recovery is replayed too", async () => {
    const { p, counters } = setup("open");
    p.ctl.down = true;
    const r = admitRequest({ now: t0, budgets: [team], maxCostMicros: 1_000 });
    expect((await counters.admit(r)).ok).toBe(true);
    p.ctl.down = false;
    expect(await counters.reconcile()).toBe(true);
    expect(counters.stats().fallbackInFlight).toBe(1);
    await counters.settle(settleRequest(r, { now: t0 + 1, actualCostMicros: 700 }));
    expect(await counters.reconcile()).toBe(true);
    expect((await p.inner.spend(team, t0 + 1)).spentMicros).toBe(700);
    expect(counters.stats()).toEqual({ pendingSettles: 0, droppedSettles: 0, fallbackInFlight: 0 });
  });

  it("closed: releases on recovery an admission that ran although its answer was lost", async () => {
    const { p, counters } = setup("closed");
    p.ctl.loseReply = true;
    const lost = admitRequest({ now: t0, budgets: [team], maxCostMicros: 4_000 });
    await expect(counters.admit(lost)).rejects.toMatchObject({ code: "counters_unavailable" });
    expect((await p.inner.spend(team, t0)).reservedMicros).toBe(4_000);
    // A zero-usage settlement of another request is a real release, replayed as well.
    const failed = admitRequest({ now: t0, budgets: [team], maxCostMicros: 1_000 });
    await p.inner.admit(failed);
    expect((await counters.settle(settleRequest(failed, { now: t0 }))).status).toBe("deferred");
    p.ctl.loseReply = false;
    expect(await counters.reconcile()).toBe(true);
    expect(await p.inner.spend(team, t0)).toMatchObject({ spentMicros: 0, reservedMicros: 0 });
  });

  it("treats a primary slower than the timeout as down", async () => {
    const { p, counters, states } = setup("open", { timeoutMs: 20 });
    p.ctl.hang = true;
    const started = performance.now();
    expect(await counters.admit(admitRequest({ now: t0, budgets: [team], maxCostMicros: 1 }))).toMatchObject({ ok: true, degraded: true });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(states).toEqual(["degraded"]);
  });

  it("lets caller errors through without failing over", async () => {
    const { counters, states } = setup("open");
    await expect(counters.admit(admitRequest({ now: t0, maxCostMicros: 1.5 }))).rejects.toMatchObject({ code: "internal" });
    expect(states).toEqual([]);
  });

  it("bounds the settlements kept for replay and counts what it dropped", async () => {
    const { p, counters } = setup("closed", { maxPendingSettles: 2 });
    p.ctl.down = true;
    for (let i = 0; i < 3; i++) await counters.settle(settleRequest({ requestId: `req_${i}`, attempt: 0 }, { now: t0 }));
    expect(counters.stats()).toMatchObject({ pendingSettles: 2, droppedSettles: 1 });
  });
});
