import { limitScopeKey, type CompiledBudget, type CompiledKey, type CompiledRateLimit, type ConfigSnapshot, type LimitLevel } from "@portcullis/core";
import type { BudgetRule, RateRule } from "@portcullis/counters";

/** The scopes a request is counted at, outermost first: customer -> team -> key -> provider key (+ tenant). */
export function scopesOf(snapshot: ConfigSnapshot, key: CompiledKey, providerKeyId: string, tenantId?: string): Array<[LimitLevel, string]> {
  const customerId = key.customerId ?? (key.teamId ? snapshot.teams[key.teamId]?.customerId ?? null : null);
  const scopes: Array<[LimitLevel, string]> = [];
  if (customerId) scopes.push(["customer", customerId]);
  if (key.teamId) scopes.push(["team", key.teamId]);
  scopes.push(["virtual_key", key.limitScopeId ?? key.id]);
  if (tenantId) scopes.push(["tenant", tenantId]);
  scopes.push(["provider_key", providerKeyId]);
  return scopes;
}

const rateRule = (r: CompiledRateLimit): RateRule => ({
  id: r.id, level: r.level, label: r.label, windowSeconds: r.windowSeconds,
  ...(r.rpm !== null ? { rpm: r.rpm } : {}), ...(r.tpm !== null ? { tpm: r.tpm } : {}),
});

const budgetRule = (b: CompiledBudget): BudgetRule => ({
  id: b.id, level: b.level, label: b.label, limitMicros: b.limitMicros, period: b.period, timeZone: b.timeZone,
  calendarAligned: b.calendarAligned, periodStartMs: b.periodStartMs, softThresholdPct: b.softThresholdPct,
});

// Rules are derived from an immutable snapshot: cache the conversions per snapshot.
const rateCache = new WeakMap<ConfigSnapshot, Map<string, RateRule[]>>();
const budgetCache = new WeakMap<ConfigSnapshot, Map<string, BudgetRule[]>>();

function cached<T, S>(cache: WeakMap<ConfigSnapshot, Map<string, T[]>>, snapshot: ConfigSnapshot, scope: string, source: S[] | undefined, map: (s: S) => T): T[] {
  let perSnapshot = cache.get(snapshot);
  if (!perSnapshot) cache.set(snapshot, (perSnapshot = new Map()));
  let rules = perSnapshot.get(scope);
  if (!rules) perSnapshot.set(scope, (rules = (source ?? []).map(map)));
  return rules;
}

export function rulesFor(snapshot: ConfigSnapshot, scopes: Array<[LimitLevel, string]>): { rates: RateRule[]; budgets: BudgetRule[] } {
  const rates: RateRule[] = [];
  const budgets: BudgetRule[] = [];
  for (const [level, id] of scopes) {
    const k = limitScopeKey(level, id);
    rates.push(...cached(rateCache, snapshot, k, snapshot.rateLimits[k], rateRule));
    budgets.push(...cached(budgetCache, snapshot, k, snapshot.budgets[k], budgetRule));
  }
  return { rates, budgets };
}

export interface RequestRules {
  rates: RateRule[];
  budgets: BudgetRule[];
}

// Every request of a key to a provider key (and tenant) counts against the same rules: derive them once per snapshot.
const requestRuleCache = new WeakMap<ConfigSnapshot, WeakMap<CompiledKey, Map<string, RequestRules>>>();
/** Tenant ids come from a request header: keep the per-key cache bounded. */
const maxCachedPerKey = 1000;

/** `rulesFor(snapshot, scopesOf(...))`, cached; the arrays are shared and must not be changed. */
export function rulesForRequest(snapshot: ConfigSnapshot, key: CompiledKey, providerKeyId: string, tenantId?: string): RequestRules {
  let byKey = requestRuleCache.get(snapshot);
  if (!byKey) requestRuleCache.set(snapshot, (byKey = new WeakMap()));
  let perKey = byKey.get(key);
  if (!perKey) byKey.set(key, (perKey = new Map()));
  const cacheKey = tenantId === undefined ? providerKeyId : `${providerKeyId}\u0000${tenantId}`;
  let rules = perKey.get(cacheKey);
  if (!rules) {
    rules = rulesFor(snapshot, scopesOf(snapshot, key, providerKeyId, tenantId));
    if (perKey.size >= maxCachedPerKey) perKey.clear();
    perKey.set(cacheKey, rules);
  }
  return rules;
}

export function budgetAlertUrl(snapshot: ConfigSnapshot, budgetId: string): string | null {
  for (const list of Object.values(snapshot.budgets)) for (const b of list) if (b.id === budgetId) return b.alertWebhookUrl;
  return null;
}
