import type { AdmitRequest, BudgetRule, LimitLevel, RateRule, SettleRequest } from "./types";

/** Fixed instant the suites count from: Tuesday 12 May 2026, 10:00 UTC. */
export const t0 = Date.UTC(2026, 4, 12, 10, 0, 0);
export const second = 1000;
export const minute = 60 * second;
export const hour = 60 * minute;

export function rate(id: string, level: LimitLevel, limits: { rpm?: number; tpm?: number; windowSeconds?: number }): RateRule {
  return { id, level, label: `${level} ${id}`, windowSeconds: 60, ...limits };
}

export function budget(id: string, level: LimitLevel, limitMicros: number, extra: Partial<BudgetRule> = {}): BudgetRule {
  return {
    id, level, label: `${level} ${id}`, limitMicros, period: "month", timeZone: "UTC", calendarAligned: true,
    periodStartMs: 0, softThresholdPct: null, ...extra,
  };
}

let sequence = 0;
const runTag = Math.random().toString(36).slice(2, 8);

/** A fresh request id per call, so reservations never collide across tests. */
export function nextRequestId(): string {
  return `req_${runTag}_${++sequence}`;
}

export function admitRequest(partial: Partial<AdmitRequest> & { now: number }): AdmitRequest {
  return { requestId: nextRequestId(), attempt: 0, rates: [], budgets: [], estimatedTokens: 0, maxCostMicros: 0, ...partial };
}

export function settleRequest(of: { requestId: string; attempt: number }, partial: Partial<SettleRequest> & { now: number }): SettleRequest {
  return { requestId: of.requestId, attempt: of.attempt, actualTokens: 0, actualCostMicros: 0, ...partial };
}
