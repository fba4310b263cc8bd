import { displayPrefix, generateVirtualKey, newId, type IdKind } from "@portcullis/core";
import { periodStart } from "@portcullis/policy";
import { appendAuditEvent, bumpConfigVersion, type Prisma, type PrismaClient } from "@portcullis/db";
import type { PathSegment } from "./load";
import type { Change, OwnerKind, Plan } from "./plan";
import type { RoutingRuleSpec } from "@portcullis/policy";
import type { AliasSpec, BudgetSpec, ConfigDocument, HeaderRuleSpec, RateLimitSpec, VirtualKeySpec } from "./schema";
import { toInstant, type CurrentState } from "./state";

type Tx = Prisma.TransactionClient;

export interface ApplyResult {
  version: bigint | undefined;
  /** Keys generated because the file gave no plaintext: shown once, never stored. */
  createdKeys: Array<{ name: string; key: string }>;
}

/** Who the audit events name: the CLI's local user on the database, or the console user / service account behind an API call. */
export interface ApplyActor {
  label: string;
  /** Defaults to "system" (the CLI working on the database directly). */
  type?: "system" | "user" | "service_account";
  id?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Added to every event's metadata (e.g. `via: "api"`). */
  metadata?: Record<string, unknown>;
}

const micros = (usd: number) => BigInt(Math.round(usd * 1_000_000));
const json = (v: Record<string, unknown>) => v as Prisma.InputJsonValue;
const auditValue = (v: Record<string, unknown> | undefined) => v ?? null;

function specAt<T>(doc: ConfigDocument, path: PathSegment[]): T {
  return path.reduce<unknown>((node, seg) => (node as Record<string | number, unknown>)[seg], doc) as T;
}

/** Applies a plan in ONE transaction: rows, one audit event per change, one config version bump. */
export async function executePlan(
  prisma: PrismaClient,
  doc: ConfigDocument,
  plan: Plan,
  state: CurrentState,
  hashKey: (plaintext: string) => string,
  actor: ApplyActor,
  now = new Date(),
): Promise<ApplyResult> {
  const createdKeys: ApplyResult["createdKeys"] = [];
  if (plan.changes.length === 0) return { version: undefined, createdKeys };
  const ids = {
    providers: new Map(state.ids.providers),
    providerKeys: new Map(state.ids.providerKeys),
    customers: new Map(state.ids.customers),
    teams: new Map(state.ids.teams),
    virtualKeys: new Map(state.ids.virtualKeys),
  };
  const idOf = (map: Map<string, string>, name: string, kind: IdKind) => {
    let id = map.get(name);
    if (!id) map.set(name, (id = newId(kind)));
    return id;
  };
  const ownerId = (o: { kind: OwnerKind; name: string }) => {
    switch (o.kind) {
      case "customer": return ids.customers.get(o.name)!;
      case "team": return ids.teams.get(o.name)!;
      case "virtual_key": return ids.virtualKeys.get(o.name)!;
      case "provider_key": return ids.providerKeys.get(o.name)!;
      case "tenant": return o.name;
    }
  };

  const apply = async (tx: Tx, c: Change): Promise<string> => {
    switch (c.kind) {
      case "provider": {
        const p = specAt<ConfigDocument["providers"][number]>(doc, c.path);
        const id = idOf(ids.providers, p.name, "provider");
        const data = { type: p.type, baseUrl: p.baseUrl ?? null, region: p.region ?? null, apiVersion: p.apiVersion ?? null, project: p.project ?? null, headers: json(p.headers), enabled: p.enabled };
        await tx.provider.upsert({ where: { name: p.name }, create: { id, name: p.name, ...data }, update: data });
        return id;
      }
      case "provider_key": {
        const k = specAt<ConfigDocument["providers"][number]["keys"][number]>(doc, c.path);
        const providerName = c.name.split("/")[0]!;
        const id = idOf(ids.providerKeys, c.name, "providerKey");
        const credential = k.credential === undefined && c.fields && !c.fields.includes("credential") ? {} : { credentialRef: k.credential ?? null, encryptedCredential: null };
        const data = { environment: k.environment, models: k.models, deployments: json(k.deployments), weight: k.weight, region: k.region ?? null, enabled: k.enabled, ...credential };
        if (c.op === "create") await tx.providerKey.create({ data: { id, name: k.name, providerId: ids.providers.get(providerName)!, ...data, credentialRef: k.credential ?? null } });
        else await tx.providerKey.update({ where: { id }, data });
        return id;
      }
      case "price": {
        const p = specAt<ConfigDocument["prices"][number]>(doc, c.path);
        const effectiveFrom = new Date(toInstant(p.effectiveFrom));
        const data = { inputPerMTok: p.inputPerMTok, outputPerMTok: p.outputPerMTok, cacheReadPerMTok: p.cacheReadPerMTok ?? null, cacheWritePerMTok: p.cacheWritePerMTok ?? null, source: p.source };
        const row = await tx.modelPrice.upsert({
          where: { provider_model_effectiveFrom: { provider: p.provider, model: p.model, effectiveFrom } },
          create: { id: newId("price"), provider: p.provider, model: p.model, effectiveFrom, createdBy: actor.label, ...data },
          update: data,
        });
        return row.id;
      }
      case "customer": {
        const cu = specAt<ConfigDocument["customers"][number]>(doc, c.path);
        const id = idOf(ids.customers, cu.name, "customer");
        const data = { externalId: cu.externalId ?? null, metadata: json(cu.metadata) };
        if (c.op === "create") await tx.customer.create({ data: { id, name: cu.name, ...data } });
        else await tx.customer.update({ where: { id }, data });
        return id;
      }
      case "team": {
        const t = specAt<ConfigDocument["teams"][number]>(doc, c.path);
        const id = idOf(ids.teams, t.slug, "team");
        const data = { name: t.name, description: t.description ?? null, customerId: t.customer ? ids.customers.get(t.customer)! : null, metadata: json(t.metadata) };
        await tx.team.upsert({ where: { slug: t.slug }, create: { id, slug: t.slug, ...data }, update: data });
        return id;
      }
      case "virtual_key":
        return applyVirtualKey(tx, c, specAt<VirtualKeySpec>(doc, c.path));
      case "alias": {
        const a = specAt<AliasSpec>(doc, c.path);
        const data = { provider: a.provider ?? null, model: a.model, description: a.description ?? null };
        return (await tx.modelAlias.upsert({ where: { alias: a.alias }, create: { alias: a.alias, ...data }, update: data })).id;
      }
      case "routing_rule": {
        const r = specAt<RoutingRuleSpec>(doc, c.path);
        const data = {
          priority: r.priority, enabled: r.enabled, match: json(r.match as Record<string, unknown>),
          strategy: json({ mode: r.strategy.mode, policy: r.policy }), targets: r.strategy.targets as unknown as Prisma.InputJsonValue, createdBy: actor.label,
        };
        return (await tx.routingRule.upsert({ where: { name: r.name }, create: { id: newId("routingRule"), name: r.name, ...data }, update: data })).id;
      }
      case "header": {
        const h = specAt<HeaderRuleSpec>(doc, c.path);
        const data = {
          headerName: h.name, required: h.required, isTenant: h.tenant, enabled: h.enabled,
          validation: h.exact !== undefined ? ("exact" as const) : ("regex" as const),
          value: h.exact ?? h.pattern ?? null, jwtKeyRef: h.jwt?.key ?? null, jwtClaim: h.jwt?.claim ?? null,
        };
        return (await tx.tenantPolicy.upsert({ where: { name: h.name }, create: { name: h.name, ...data }, update: data })).id;
      }
      case "budget":
        return applyBudget(tx, c);
      case "rate_limit":
        return applyRateLimit(tx, c);
    }
  };

  const applyVirtualKey = async (tx: Tx, c: Change, k: VirtualKeySpec): Promise<string> => {
    const id = idOf(ids.virtualKeys, k.name, "virtualKey");
    const data = {
      description: k.description ?? null,
      teamId: k.team ? ids.teams.get(k.team)! : null,
      customerId: k.customer ? ids.customers.get(k.customer)! : null,
      environment: k.environment,
      status: k.status,
      revokedAt: k.status === "revoked" ? now : null,
      expiresAt: k.expiresAt ? new Date(k.expiresAt) : null,
      allowedProviders: k.allowedProviders,
      allowedModels: k.allowedModels,
      blockedModels: k.blockedModels,
      allowedEndpoints: k.allowedEndpoints,
      ipAllowList: k.ipAllowList,
      metadata: json(k.metadata),
    };
    if (c.op === "create") {
      const plaintext = k.key ?? generateVirtualKey();
      if (!k.key) createdKeys.push({ name: k.name, key: plaintext });
      await tx.virtualKey.create({ data: { id, name: k.name, keyHash: hashKey(plaintext), prefix: displayPrefix(plaintext), createdBy: actor.label, ...data } });
    } else {
      const rekey = c.fields?.includes("key") && k.key ? { keyHash: hashKey(k.key), prefix: displayPrefix(k.key) } : {};
      await tx.virtualKey.update({ where: { id }, data: { ...data, ...rekey } });
      await tx.virtualKeyBinding.deleteMany({ where: { virtualKeyId: id } });
    }
    const bindings = Object.entries(k.bindings).flatMap(([environment, refs]) =>
      (refs ?? []).map((ref) => ({ virtualKeyId: id, environment: environment as "dev" | "staging" | "prod", providerKeyId: ids.providerKeys.get(ref)! })),
    );
    if (bindings.length) await tx.virtualKeyBinding.createMany({ data: bindings });
    return id;
  };

  const applyBudget = async (tx: Tx, c: Change): Promise<string> => {
    const scopeType = c.owner!.kind;
    const scopeId = ownerId(c.owner!);
    const period = (c.after ?? c.before)!.period as BudgetSpec["period"];
    const where = { scopeType_scopeId_period: { scopeType, scopeId, period } };
    if (c.op === "delete") return (await tx.budget.delete({ where })).id;
    const b = c.after as unknown as BudgetSpec;
    const data = {
      name: b.name ?? null, limitMicros: micros(b.limit), timeZone: b.timeZone, calendarAligned: b.calendarAligned,
      softThresholdPct: b.softThresholdPct, alertWebhookUrl: b.alertWebhookUrl ?? null, enabled: b.enabled,
    };
    const start = b.calendarAligned ? periodStart(period, b.timeZone, now) : now;
    const row = await tx.budget.upsert({ where, create: { id: newId("budget"), scopeType, scopeId, period, currentPeriodStart: start, ...data }, update: data });
    return row.id;
  };

  const applyRateLimit = async (tx: Tx, c: Change): Promise<string> => {
    const scopeType = c.owner!.kind;
    const scopeId = ownerId(c.owner!);
    const windowSeconds = (c.after ?? c.before)!.windowSeconds as number;
    const where = { scopeType_scopeId_windowSeconds: { scopeType, scopeId, windowSeconds } };
    if (c.op === "delete") return (await tx.rateLimit.delete({ where })).id;
    const r = c.after as unknown as RateLimitSpec;
    const data = { rpm: r.rpm ?? null, tpm: r.tpm ?? null, enabled: r.enabled };
    return (await tx.rateLimit.upsert({ where, create: { id: newId("rateLimit"), scopeType, scopeId, windowSeconds, ...data }, update: data })).id;
  };

  const version = await prisma.$transaction(
    async (tx) => {
      for (const c of plan.changes) {
        const targetId = await apply(tx, c);
        await appendAuditEvent(tx, {
          actorType: actor.type ?? "system",
          actorId: actor.id ?? null,
          actorLabel: actor.label,
          ip: actor.ip ?? null,
          userAgent: actor.userAgent ?? null,
          action: `${c.kind}.${c.op}`,
          targetType: c.kind,
          targetId,
          before: auditValue(c.before),
          after: auditValue(c.after),
          metadata: { source: "portcullis apply", ...actor.metadata, name: c.name, ...(c.fields ? { fields: c.fields } : {}) },
        });
      }
      return bumpConfigVersion(tx);
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  return { version, createdKeys };
}
