import { budgetKeys, periodTtlMs, rateKeys, softMicrosOf, type BudgetWindowCache, type ResolvedOptions } from "./keys";
import type { BudgetRule, RateRule } from "./types";

/**
 * Appends the KEYS and ARGV the admit and settle scripts expect for a set of rules: per rate rule
 * (req, tok, tokv) keys and (rpm|-1, tpm|-1, windowMs); per budget (hash, exp) keys and
 * (limit, softMicros|-1, periodTtl|-1, gcAt|-1, startMs, softPct, id, level, label).
 * `at` picks the budget period; `now` anchors the TTLs.
 */
export function pushRuleArgs(
  prefix: string,
  windows: BudgetWindowCache,
  opts: ResolvedOptions,
  rates: readonly RateRule[],
  budgets: readonly BudgetRule[],
  at: number,
  now: number,
  keys: string[],
  args: (string | number)[],
): void {
  for (const rule of rates) {
    const k = rateKeys(prefix, rule);
    keys.push(k.req, k.tok, k.tokv);
    args.push(rule.rpm ?? -1, rule.tpm ?? -1, rule.windowSeconds * 1000);
  }
  for (const rule of budgets) {
    const w = windows.windowOf(rule, at);
    const k = budgetKeys(prefix, rule, w.startMs);
    keys.push(k.hash, k.exp);
    const ttl = periodTtlMs(w, now, opts.periodRetentionMs);
    args.push(
      rule.limitMicros, softMicrosOf(rule), ttl, ttl < 0 ? -1 : now + ttl, w.startMs,
      rule.softThresholdPct ?? 0, rule.id, rule.level, rule.label,
    );
  }
}
