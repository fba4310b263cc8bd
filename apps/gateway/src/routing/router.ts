import type { Context } from "hono";
import { PortcullisError, type CompiledRoutingRule, type ConfigSnapshot } from "@portcullis/core";
import {
  authorizeModel, defaultRoutePolicy, planTargets, routingRuleSpecSchema, ruleMatches,
  type Denial, type RoutePolicy, type RouteTarget, type RoutingRuleSpec, type TargetSignals,
} from "@portcullis/policy";
import { recordDenial } from "../events";
import { priceFor } from "../governance/pricing";
import type { CircuitRegistry } from "./circuits";
import { resolveTargets, snapshotIndex, type ResolvedTarget } from "./resolve-targets";

export interface RoutePlan {
  targets: ResolvedTarget[];
  policy: RoutePolicy;
  /** The rule that chose the targets, if any. */
  rule: string | undefined;
}

const maxTargets = 8;
export const targetId = (t: ResolvedTarget) => `${t.providerKey.id}|${t.upstreamModel}`;

const parsedRules = new WeakMap<ConfigSnapshot, RoutingRuleSpec[]>();

/** Stored rules as specs, parsed once per snapshot; rules invalid in storage are skipped (they are validated on save). */
function rulesOf(snapshot: ConfigSnapshot): RoutingRuleSpec[] {
  let rules = parsedRules.get(snapshot);
  if (!rules) {
    rules = snapshot.routingRules.flatMap((r: CompiledRoutingRule) => {
      const strategy = r.strategy as { mode?: string; policy?: unknown };
      const parsed = routingRuleSpecSchema.safeParse({
        name: r.name, priority: r.priority, match: r.match, strategy: { mode: strategy.mode ?? "fallback", targets: r.targets }, policy: strategy.policy ?? {},
      });
      return parsed.success ? [parsed.data] : [];
    });
    parsedRules.set(snapshot, rules);
  }
  return rules;
}

/**
 * The ordered targets for this request: the first matching routing rule's strategy,
 * else every provider key serving the model (by weight, healthy first). Targets
 * outside the key's environment, bindings or allow-lists are dropped; nothing left is
 * a 403 (or 404 when nothing serves the model at all).
 */
export function planRoute(c: Context, model: string, circuits: CircuitRegistry, random: () => number = Math.random): RoutePlan {
  try {
    return planFor(c, model, circuits, random);
  } catch (e) {
    // An allow-list refusal is a governance decision: it goes to the audit chain, like a budget denial.
    recordDenial(c, e);
    throw e;
  }
}

function planFor(c: Context, model: string, circuits: CircuitRegistry, random: () => number): RoutePlan {
  const { key, snapshot } = c.get("auth");
  const team = key.teamId ? snapshot.teams[key.teamId] : undefined;
  const customerId = key.customerId ?? team?.customerId ?? null;
  const customer = customerId ? snapshot.customers[customerId] : undefined;
  const tenant = c.get("tenantId");
  const rule = rulesOf(snapshot).find((r) => r.enabled && ruleMatches(r.match, {
    model, virtualKey: key, ...(team ? { team } : {}), ...(customer ? { customer } : {}), ...(tenant ? { tenant } : {}),
    header: (name) => c.req.header(name),
  }));

  if (!rule) {
    const candidates = resolveTargets(snapshot, key, model);
    // The weighted plan of a single target is that target (planned or not, it is the only one to try).
    if (candidates.length === 1) return { targets: candidates, policy: defaultRoutePolicy, rule: undefined };
    const asRoute = (t: ResolvedTarget): RouteTarget => ({ provider: t.provider.name, key: t.providerKey.name, model: t.model, weight: t.providerKey.weight });
    const byRoute = new Map(candidates.map((t) => [`${t.provider.name}|${t.providerKey.name}|${t.model}`, t]));
    const ordered = planTargets({ mode: "weighted", targets: candidates.map(asRoute) }, signals(snapshot, circuits, candidates), random);
    return { targets: ordered.map((r) => byRoute.get(`${r.provider}|${r.key}|${r.model}`)!).slice(0, maxTargets), policy: defaultRoutePolicy, rule: undefined };
  }

  const bound = key.providerKeyIds.length ? new Set(key.providerKeyIds) : undefined;
  const index = snapshotIndex(snapshot);
  const expand = (r: RouteTarget): ResolvedTarget[] => {
    const provider = index.providerByName.get(r.provider);
    if (!provider) return [];
    return (index.keysByProvider.get(provider.id) ?? [])
      .filter((pk) => pk.environment === key.environment && (!bound || bound.has(pk.id)) && (!r.key || pk.name === r.key))
      .map((pk) => ({ provider, providerKey: pk, model: r.model, upstreamModel: pk.deployments[r.model] ?? r.model }));
  };
  const all = rule.strategy.targets.length ? planTargets(rule.strategy, signals(snapshot, circuits, []), random) : [];
  let denial: Denial | undefined;
  const targets = all.flatMap(expand).filter((t) => {
    const d = authorizeModel(key, t.provider, t.model);
    denial ??= d;
    return !d;
  });
  if (targets.length === 0) {
    if (denial) throw new PortcullisError({ code: denial.code, message: denial.message, param: "model" });
    throw new PortcullisError({ code: "model_not_found", message: `routing rule "${rule.name}" has no target for "${model}" in the ${key.environment} environment`, param: "model" });
  }
  return { targets: targets.slice(0, maxTargets), policy: rule.policy, rule: rule.name };
}

function signals(snapshot: ConfigSnapshot, circuits: CircuitRegistry, known: ResolvedTarget[]): TargetSignals {
  const index = snapshotIndex(snapshot);
  const find = (r: RouteTarget) => {
    const hit = known.find((t) => t.provider.name === r.provider && (!r.key || t.providerKey.name === r.key) && t.model === r.model);
    if (hit) return [hit];
    const provider = index.providerByName.get(r.provider);
    if (!provider) return [];
    return (index.keysByProvider.get(provider.id) ?? [])
      .filter((pk) => !r.key || pk.name === r.key)
      .map((pk) => ({ provider, providerKey: pk, model: r.model, upstreamModel: pk.deployments[r.model] ?? r.model }));
  };
  return {
    healthy: (r) => find(r).some((t) => circuits.healthy(targetId(t))),
    latencyMs: (r) => {
      const values = find(r).map((t) => circuits.latency(targetId(t))).filter((v): v is number => v !== undefined);
      return values.length ? Math.min(...values) : undefined;
    },
    cost: (r) => {
      const provider = index.providerByName.get(r.provider);
      const p = provider ? priceFor(snapshot, provider.type, r.model, Date.now()) : undefined;
      return p ? (p.price.input ?? 0) + (p.price.output ?? 0) : undefined;
    },
  };
}
