import { budgetWindow, softThresholdMicros, type BudgetWindow } from "@portcullis/policy";
import type { BudgetRule, CountersOptions, RateRule } from "./types";

/**
 * Key layout shared by the Redis and in-memory implementations (the memory one uses the same
 * strings as map keys, which keeps both easy to compare while debugging):
 *   {p}rl:{ruleId}:{windowSeconds}:req   sorted set  reservationId -> admitted at (ms)        RPM log
 *   {p}rl:{ruleId}:{windowSeconds}:tok   sorted set  reservationId -> counted at (ms)         TPM log
 *   {p}rl:{ruleId}:{windowSeconds}:tokv  hash        reservationId -> tokens, "_sum" -> total
 *   {p}b:{budgetId}:{period}:{startMs}   hash        spent, reserved, soft, "r:{reservationId}" -> amount
 *   {p}b:{budgetId}:{period}:{startMs}:exp sorted set reservationId -> reservation expiry (ms)
 *   {p}r:{reservationId}                 string      reservation record (JSON) or "s" once settled
 */
export const defaultKeyPrefix = "pc:ctr:";

export interface RateKeys { req: string; tok: string; tokv: string }
export interface BudgetKeys { hash: string; exp: string }

export function rateKeys(prefix: string, rule: RateRule): RateKeys {
  const base = `${prefix}rl:${rule.id}:${rule.windowSeconds}:`;
  return { req: `${base}req`, tok: `${base}tok`, tokv: `${base}tokv` };
}

export function budgetKeys(prefix: string, rule: BudgetRule, startMs: number): BudgetKeys {
  const hash = `${prefix}b:${rule.id}:${rule.period}:${startMs}`;
  return { hash, exp: `${hash}:exp` };
}

export function recordKey(prefix: string, reservationId: string): string {
  return `${prefix}r:${reservationId}`;
}

export interface ResolvedOptions {
  reservationTtlMs: number;
  settledRetentionMs: number;
  lateSettleGraceMs: number;
  periodRetentionMs: number;
}

export function resolveOptions(o: CountersOptions = {}): ResolvedOptions {
  return {
    reservationTtlMs: o.reservationTtlMs ?? 15 * 60_000,
    settledRetentionMs: o.settledRetentionMs ?? 24 * 3_600_000,
    lateSettleGraceMs: o.lateSettleGraceMs ?? 3_600_000,
    periodRetentionMs: o.periodRetentionMs ?? 7 * 86_400_000,
  };
}

/** Extra life of rate-window keys past the window so an idle rule's keys vanish on their own. */
export const rateKeySlackMs = 60_000;

interface CachedWindow extends BudgetWindow { rule: BudgetRule }

/**
 * Budget windows memoised per rule: computing a calendar period formats dates in a time zone,
 * too slow to repeat on every request, while the answer changes only at a period boundary.
 */
export class BudgetWindowCache {
  private readonly cache = new Map<string, CachedWindow>();

  windowOf(rule: BudgetRule, now: number): BudgetWindow {
    const hit = this.cache.get(rule.id);
    if (
      hit && now >= hit.startMs && (hit.endMs === undefined || now < hit.endMs) &&
      (hit.rule === rule || sameWindowRule(hit.rule, rule))
    ) {
      return hit;
    }
    const w = budgetWindow(rule, now);
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(rule.id, { startMs: w.startMs, endMs: w.endMs, rule });
    return w;
  }
}

function sameWindowRule(a: BudgetRule, b: BudgetRule): boolean {
  return a.period === b.period && a.timeZone === b.timeZone && a.calendarAligned === b.calendarAligned && a.periodStartMs === b.periodStartMs;
}

/** Soft threshold in micro-USD, -1 when the budget has none (the form both stores keep). */
export function softMicrosOf(rule: BudgetRule): number {
  return softThresholdMicros(rule.limitMicros, rule.softThresholdPct) ?? -1;
}

/** ms a budget period's keys should live from `now`: to the end of the period plus retention; -1 = forever (lifetime). */
export function periodTtlMs(window: BudgetWindow, now: number, retentionMs: number): number {
  return window.endMs === undefined ? -1 : Math.max(window.endMs - now, 0) + retentionMs;
}
