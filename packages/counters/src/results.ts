import { PortcullisError } from "@portcullis/core";
import { retryAfterSeconds } from "@portcullis/policy";
import type { AdmitDenied, AdmitRequest, BudgetRule, RateRule, SettleRequest } from "./types";

/** Builders shared by both stores so their answers have exactly the same shape. */
export function deniedRate(kind: "rpm" | "tpm", rule: RateRule, limit: number, current: number, retryMs: number): AdmitDenied {
  const d: AdmitDenied = { ok: false, reason: "rate_limited", rule, kind, limit, current };
  if (retryMs >= 0) d.retryAfterSeconds = retryAfterSeconds(retryMs);
  return d;
}

export function deniedBudget(rule: BudgetRule, current: number, endMs: number | undefined): AdmitDenied {
  const d: AdmitDenied = { ok: false, reason: "budget_exceeded", rule, kind: "budget", limit: rule.limitMicros, current };
  if (endMs !== undefined) d.resetsAt = new Date(endMs);
  return d;
}

function requireCount(value: number, field: string, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new PortcullisError({ code: "internal", message: `counters: ${field} must be an integer >= ${min}, got ${value}`, param: field });
  }
}

/** Amounts are integers (micro-USD, tokens, epoch ms): a fraction here is a caller bug, not something to round silently. */
export function validateAdmit(r: AdmitRequest): void {
  requireCount(r.maxCostMicros, "maxCostMicros");
  requireCount(r.estimatedTokens, "estimatedTokens");
  requireCount(r.now, "now");
  for (const rule of r.rates) {
    requireCount(rule.windowSeconds, "windowSeconds", 1);
    if (rule.rpm !== undefined) requireCount(rule.rpm, "rpm");
    if (rule.tpm !== undefined) requireCount(rule.tpm, "tpm");
  }
  for (const rule of r.budgets) requireCount(rule.limitMicros, "limitMicros");
}

export function validateSettle(r: SettleRequest): void {
  requireCount(r.actualCostMicros, "actualCostMicros");
  requireCount(r.actualTokens, "actualTokens");
  requireCount(r.now, "now");
}
