import { PortcullisError, type CompiledKey, type ConfigSnapshot } from "@portcullis/core";
import type { AdmitDenied, BudgetRule, Counters, RateRule } from "@portcullis/counters";
import { costMicros, formatInZone, maxCostMicros, rateLimitHeaders, tokenizerFactor, type NormalizedUsage } from "@portcullis/policy";
import type { ResolvedTarget } from "../routing/resolve-targets";
import { priceFor, type PriceInfo } from "./pricing";
import { budgetAlertUrl, rulesForRequest } from "./rules";

export interface AdmitInput {
  snapshot: ConfigSnapshot;
  key: CompiledKey;
  target: ResolvedTarget;
  requestId: string;
  attempt: number;
  tenantId?: string;
  /** o200k-based estimate; scaled here to the provider's tokenizer. */
  promptTokens: number;
  /** From the request (`max_tokens`...); the model's output limit otherwise. */
  maxOutputTokens?: number;
}

export interface Admission {
  requestId: string;
  attempt: number;
  price: PriceInfo | undefined;
  /** `x-ratelimit-*` headers for the response. */
  headers: Record<string, string>;
  snapshot: ConfigSnapshot;
}

export interface SoftAlert {
  budgetId: string;
  label: string;
  thresholdPct: number;
  spentMicros: number;
  limitMicros: number;
  webhookUrl: string | null;
}

export interface Governance {
  /** One round trip: every RPM/TPM window and the maximum cost at every budget level, or a denial. */
  admit(input: AdmitInput): Promise<Admission>;
  /** One round trip: the reservation becomes the real cost (usage undefined releases it). Never throws. */
  settle(admission: Admission, usage: NormalizedUsage | undefined): Promise<{ costMicros: number; alerts: SoftAlert[] }>;
}

const defaultMaxOutput = 4096;
const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(2)}`;
const periodWord: Record<BudgetRule["period"], string> = {
  day: "daily", week: "weekly", month: "monthly", quarter: "quarterly", year: "yearly", lifetime: "lifetime",
};

/** `budget_exceeded: team "ml-research" monthly budget $500.00 reached; resets 2026-12-01T00:00:00-05:00` */
export function denialError(d: AdmitDenied): PortcullisError {
  const details = { level: d.rule.level, rule: d.rule.id, kind: d.kind, limit: d.limit, current: d.current };
  if (d.kind === "budget") {
    const b = d.rule as BudgetRule;
    const resets = d.resetsAt ? `; resets ${formatInZone(d.resetsAt, b.timeZone)}` : "";
    return new PortcullisError({
      code: "budget_exceeded",
      message: `budget_exceeded: ${b.label} ${periodWord[b.period]} budget ${usd(b.limitMicros)} reached${resets}`,
      param: `${d.rule.level}:${d.rule.id}`,
      details,
    });
  }
  const r = d.rule as RateRule;
  const unit = d.kind === "rpm" ? "requests" : "tokens";
  return new PortcullisError({
    code: "rate_limited",
    message: `rate_limited: ${r.label} limit of ${d.limit} ${unit} per ${r.windowSeconds} s reached${d.retryAfterSeconds !== undefined ? `; retry after ${d.retryAfterSeconds} s` : ""}`,
    param: `${d.rule.level}:${d.rule.id}`,
    ...(d.retryAfterSeconds !== undefined ? { retryAfter: d.retryAfterSeconds } : {}),
    details,
  });
}

export function createGovernance(counters: Counters, now: () => number): Governance {
  return {
    async admit(input) {
      const { snapshot, key, target } = input;
      const at = now();
      const { rates, budgets } = rulesForRequest(snapshot, key, target.providerKey.id, input.tenantId);
      const price = priceFor(snapshot, target.provider.type, target.upstreamModel, at) ?? priceFor(snapshot, target.provider.type, target.model, at);
      if (!price && budgets.length) {
        throw new PortcullisError({
          code: "forbidden",
          message: `budgets apply to this request but no price is known for ${target.provider.name}/${target.model}: add a price override`,
          param: "model",
        });
      }
      const maxOutput = input.maxOutputTokens ?? price?.maxOutputTokens ?? defaultMaxOutput;
      const promptTokens = Math.ceil(input.promptTokens * tokenizerFactor(target.provider.type));
      const maxCost = price ? maxCostMicros(promptTokens, maxOutput, price.price) : 0;
      const result = await counters.admit({
        requestId: input.requestId, attempt: input.attempt, rates, budgets,
        estimatedTokens: promptTokens + maxOutput, maxCostMicros: maxCost, now: at,
      });
      if (!result.ok) throw denialError(result);
      return { requestId: input.requestId, attempt: input.attempt, price, headers: rateLimitHeaders(result.rateStatus), snapshot };
    },
    async settle(admission, usage) {
      const cost = usage && admission.price ? costMicros(usage, admission.price.price) : 0;
      const tokens = usage ? usage.inputTokens + usage.cachedReadTokens + usage.cachedWriteTokens + usage.outputTokens : 0;
      try {
        const r = await counters.settle({ requestId: admission.requestId, attempt: admission.attempt, actualTokens: tokens, actualCostMicros: cost, now: now() });
        const alerts = r.crossings.map((x) => ({
          budgetId: x.budget.id, label: x.budget.label, thresholdPct: x.thresholdPct, spentMicros: x.spentMicros,
          limitMicros: x.limitMicros, webhookUrl: budgetAlertUrl(admission.snapshot, x.budget.id),
        }));
        return { costMicros: cost, alerts };
      } catch {
        // The reservation expires on its own; the request's outcome must not change after the fact.
        return { costMicros: cost, alerts: [] };
      }
    },
  };
}
