import type { PrismaClient } from "@portcullis/db";
import { routingRuleSpecSchema } from "@portcullis/policy";
import type { BudgetSpec, ConfigDocument, RateLimitSpec } from "./schema";

type Scope = "customer" | "team" | "virtual_key" | "provider_key" | "tenant";

/** What is in the database, in the file's own shape, plus the ids behind the names. */
export interface CurrentState {
  document: ConfigDocument;
  ids: {
    providers: Map<string, string>;
    /** `provider/key` -> id */
    providerKeys: Map<string, string>;
    customers: Map<string, string>;
    teams: Map<string, string>;
    virtualKeys: Map<string, string>;
  };
  virtualKeyHashes: Map<string, string>;
  /** Provider keys whose credential is an encrypted value (set in the console; never exported). */
  encryptedCredentials: Set<string>;
}

const usd = (micros: bigint) => Number(micros) / 1_000_000;
const num = (d: { toString(): string } | null) => (d === null ? undefined : Number(d.toString()));
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** Dates given as `YYYY-MM-DD` mean midnight UTC; both sides compare as instants. */
export function toInstant(value: string): string {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value).toISOString();
}

function exportDate(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
}

export async function readState(prisma: PrismaClient): Promise<CurrentState> {
  const [providers, prices, customers, teams, keys, budgets, rateLimits, headerRules, aliases, rules] = await Promise.all([
    prisma.provider.findMany({ include: { keys: { orderBy: { name: "asc" } } }, orderBy: { name: "asc" } }),
    prisma.modelPrice.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }, { effectiveFrom: "asc" }] }),
    prisma.customer.findMany({ orderBy: { name: "asc" } }),
    prisma.team.findMany({ include: { customer: true }, orderBy: { slug: "asc" } }),
    prisma.virtualKey.findMany({
      // The current key of each rotation chain (an older key in its grace period is not a separate resource).
      where: { rotatedTo: { none: {} } },
      include: { team: true, customer: true, bindings: { include: { providerKey: { include: { provider: true } } } } },
      orderBy: { name: "asc" },
    }),
    prisma.budget.findMany({ orderBy: { period: "asc" } }),
    prisma.rateLimit.findMany({ orderBy: { windowSeconds: "asc" } }),
    prisma.tenantPolicy.findMany({ orderBy: { name: "asc" } }),
    prisma.modelAlias.findMany({ orderBy: { alias: "asc" } }),
    prisma.routingRule.findMany({ orderBy: [{ priority: "asc" }, { name: "asc" }] }),
  ]);

  const limitsOf = (scope: Scope, id: string): { budgets: BudgetSpec[]; rateLimits: RateLimitSpec[] } => ({
    budgets: budgets
      .filter((b) => b.scopeType === scope && b.scopeId === id)
      .map((b) => ({
        name: opt(b.name),
        limit: usd(b.limitMicros),
        period: b.period,
        timeZone: b.timeZone,
        calendarAligned: b.calendarAligned,
        softThresholdPct: b.softThresholdPct,
        alertWebhookUrl: opt(b.alertWebhookUrl),
        enabled: b.enabled,
      })),
    rateLimits: rateLimits
      .filter((r) => r.scopeType === scope && r.scopeId === id)
      .map((r) => ({ rpm: opt(r.rpm), tpm: opt(r.tpm), windowSeconds: r.windowSeconds, enabled: r.enabled })),
  });

  const state: CurrentState = {
    ids: { providers: new Map(), providerKeys: new Map(), customers: new Map(), teams: new Map(), virtualKeys: new Map() },
    virtualKeyHashes: new Map(),
    encryptedCredentials: new Set(),
    document: { apiVersion: "portcullis/v1", providers: [], prices: [], customers: [], teams: [], virtualKeys: [], headers: [], tenants: [], aliases: [], routingRules: [] },
  };
  const { ids, document: doc } = state;

  for (const p of providers) {
    ids.providers.set(p.name, p.id);
    doc.providers.push({
      name: p.name,
      type: p.type as ConfigDocument["providers"][number]["type"],
      baseUrl: opt(p.baseUrl),
      region: opt(p.region),
      apiVersion: opt(p.apiVersion),
      project: opt(p.project),
      headers: p.headers as Record<string, string>,
      enabled: p.enabled,
      keys: p.keys.map((k) => {
        ids.providerKeys.set(`${p.name}/${k.name}`, k.id);
        if (k.encryptedCredential) state.encryptedCredentials.add(`${p.name}/${k.name}`);
        return {
          name: k.name,
          environment: k.environment,
          credential: opt(k.credentialRef),
          models: k.models,
          deployments: k.deployments as Record<string, string>,
          weight: k.weight,
          region: opt(k.region),
          enabled: k.enabled,
          ...limitsOf("provider_key", k.id),
        };
      }),
    });
  }
  for (const p of prices) {
    doc.prices.push({
      provider: p.provider as ConfigDocument["prices"][number]["provider"],
      model: p.model,
      inputPerMTok: num(p.inputPerMTok)!,
      outputPerMTok: num(p.outputPerMTok)!,
      cacheReadPerMTok: num(p.cacheReadPerMTok),
      cacheWritePerMTok: num(p.cacheWritePerMTok),
      effectiveFrom: exportDate(p.effectiveFrom),
      source: p.source,
    });
  }
  for (const c of customers) {
    ids.customers.set(c.name, c.id);
    doc.customers.push({ name: c.name, externalId: opt(c.externalId), metadata: c.metadata as Record<string, unknown>, ...limitsOf("customer", c.id) });
  }
  for (const t of teams) {
    ids.teams.set(t.slug, t.id);
    doc.teams.push({
      slug: t.slug,
      name: t.name,
      description: opt(t.description),
      customer: t.customer?.name,
      metadata: t.metadata as Record<string, unknown>,
      ...limitsOf("team", t.id),
    });
  }
  for (const k of keys) {
    ids.virtualKeys.set(k.name, k.id);
    state.virtualKeyHashes.set(k.name, k.keyHash);
    const bindings: Partial<Record<"dev" | "staging" | "prod", string[]>> = {};
    for (const b of k.bindings) (bindings[b.environment] ??= []).push(`${b.providerKey.provider.name}/${b.providerKey.name}`);
    for (const list of Object.values(bindings)) list.sort();
    doc.virtualKeys.push({
      name: k.name,
      description: opt(k.description),
      team: k.team?.slug,
      customer: k.customer?.name,
      environment: k.environment,
      status: k.status,
      expiresAt: k.expiresAt?.toISOString(),
      allowedProviders: k.allowedProviders,
      allowedModels: k.allowedModels,
      blockedModels: k.blockedModels,
      allowedEndpoints: k.allowedEndpoints,
      ipAllowList: k.ipAllowList,
      metadata: k.metadata as Record<string, unknown>,
      bindings,
      ...limitsOf("virtual_key", k.id),
    });
  }
  for (const h of headerRules) {
    doc.headers.push({
      name: h.headerName, required: h.required, tenant: h.isTenant, enabled: h.enabled,
      ...(h.jwtKeyRef ? { jwt: { key: h.jwtKeyRef, claim: h.jwtClaim ?? "sub" } } : h.value === null ? {} : h.validation === "exact" ? { exact: h.value } : { pattern: h.value }),
    });
  }
  for (const a of aliases) doc.aliases.push({ alias: a.alias, model: a.model, provider: opt(a.provider), description: opt(a.description) });
  for (const r of rules) {
    const strategy = r.strategy as { mode?: string; policy?: unknown };
    const parsed = routingRuleSpecSchema.safeParse({
      name: r.name, priority: r.priority, enabled: r.enabled, match: r.match, strategy: { mode: strategy.mode ?? "fallback", targets: r.targets }, policy: strategy.policy ?? {},
    });
    if (parsed.success) doc.routingRules.push(parsed.data);
  }
  const tenantIds = new Set([...budgets, ...rateLimits].filter((x) => x.scopeType === "tenant").map((x) => x.scopeId));
  for (const id of [...tenantIds].sort()) doc.tenants.push({ id, ...limitsOf("tenant", id) });
  return state;
}
