import type { BudgetRule, Counters, RateRule } from "./types";

export interface BenchResult {
  operations: number;
  /** admit + settle pairs per second, sequential (one in flight). */
  pairsPerSecond: number;
  admitP50Ms: number;
  admitP99Ms: number;
  settleP50Ms: number;
  settleP99Ms: number;
}

/**
 * Measures the hot-path cost: `n` sequential admit + settle pairs against a typical rule set
 * (rate limits at key and team level, budgets at customer, team and key level), sized so
 * nothing is denied. The lead's bench runs it against both stores.
 */
export async function benchAdmit(counters: Counters, n: number, runId = `bench-${Date.now()}`): Promise<BenchResult> {
  const rates: RateRule[] = [
    { id: `${runId}-rl-key`, level: "virtual_key", label: "bench key", rpm: n * 2, tpm: n * 2_000, windowSeconds: 60 },
    { id: `${runId}-rl-team`, level: "team", label: "bench team", rpm: n * 2, windowSeconds: 60 },
  ];
  const budget = (id: string, level: BudgetRule["level"]): BudgetRule => ({
    id: `${runId}-${id}`, level, label: id, limitMicros: n * 10_000, period: "month", timeZone: "UTC",
    calendarAligned: true, periodStartMs: 0, softThresholdPct: 80,
  });
  const budgets = [budget("customer", "customer"), budget("team", "team"), budget("key", "virtual_key")];
  const admitMs = new Float64Array(n);
  const settleMs = new Float64Array(n);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const now = Date.now();
    const t0 = performance.now();
    const res = await counters.admit({ requestId: `${runId}-${i}`, attempt: 0, rates, budgets, estimatedTokens: 500, maxCostMicros: 5_000, now });
    const t1 = performance.now();
    if (!res.ok) throw new Error(`bench admission ${i} was denied by ${res.rule.id} (${res.kind})`);
    await counters.settle({ requestId: `${runId}-${i}`, attempt: 0, actualTokens: 300, actualCostMicros: 2_000, now });
    admitMs[i] = t1 - t0;
    settleMs[i] = performance.now() - t1;
  }
  const elapsed = performance.now() - start;
  admitMs.sort();
  settleMs.sort();
  const at = (a: Float64Array, q: number) => a[Math.min(a.length - 1, Math.floor(a.length * q))] ?? 0;
  return {
    operations: n,
    pairsPerSecond: n / (elapsed / 1000),
    admitP50Ms: at(admitMs, 0.5),
    admitP99Ms: at(admitMs, 0.99),
    settleP50Ms: at(settleMs, 0.5),
    settleP99Ms: at(settleMs, 0.99),
  };
}
