import type { CompiledBudget, CompiledKey, CompiledRateLimit, ConfigSnapshot, EnvironmentName, LimitLevel } from "@portcullis/core";
import { limitScopeKey } from "@portcullis/core";
import { readConfigVersion, type Prisma, type PrismaClient } from "@portcullis/db";

/** The display name of an id (team slug, customer, key or provider key name). */
type Names = (id: string) => string | undefined;

function label(level: LimitLevel, scopeId: string, names: Names): string {
  const noun = level.replace("_", " ");
  const name = names(scopeId);
  return name ? `${noun} "${name}"` : level === "tenant" ? `tenant "${scopeId}"` : `${noun} ${scopeId}`;
}

const compiledKeyColumns = {
  id: true, keyHash: true, name: true, prefix: true, status: true, expiresAt: true, graceExpiresAt: true, rotatedFromId: true,
  teamId: true, customerId: true, environment: true, allowedProviders: true, allowedModels: true, blockedModels: true,
  allowedEndpoints: true, ipAllowList: true, metadata: true,
} as const;

type Tx = Prisma.TransactionClient;
type KeyRow = Awaited<ReturnType<typeof readKeys>>[number];
type BindingRow = { virtualKeyId: string; environment: string; providerKeyId: string };

const readKeys = (tx: Tx, ids?: string[]) =>
  tx.virtualKey.findMany({ select: compiledKeyColumns, ...(ids ? { where: { id: { in: ids } } } : {}) });
const readBindings = (tx: Tx, keyIds?: string[]): Promise<BindingRow[]> =>
  tx.virtualKeyBinding.findMany({ select: { virtualKeyId: true, environment: true, providerKeyId: true }, ...(keyIds ? { where: { virtualKeyId: { in: keyIds } } } : {}) });

function groupBindings(bindings: readonly BindingRow[]): Map<string, BindingRow[]> {
  const bindingsOf = new Map<string, BindingRow[]>();
  for (const b of bindings) {
    const list = bindingsOf.get(b.virtualKeyId);
    if (list) list.push(b);
    else bindingsOf.set(b.virtualKeyId, [b]);
  }
  return bindingsOf;
}

/** The first key of a rotation chain, following rotatedFromId (bounded, in case of a cycle). */
function chainRootOf(id: string, rotatedFrom: (id: string) => string | null | undefined): string {
  let root = id;
  for (let hops = 0, prev = rotatedFrom(root); prev && hops < 1000; hops++, prev = rotatedFrom(root)) root = prev;
  return root;
}

/** One compiled key; members written in canonical order, so serializing it needs no reordering copy. */
function compileKey(k: KeyRow, bindings: readonly BindingRow[] | undefined, limitScopeId: string): CompiledKey {
  return {
    allowedEndpoints: k.allowedEndpoints, allowedModels: k.allowedModels, allowedProviders: k.allowedProviders,
    blockedModels: k.blockedModels, customerId: k.customerId, environment: k.environment as EnvironmentName,
    expiresAt: k.expiresAt?.getTime() ?? null, graceExpiresAt: k.graceExpiresAt?.getTime() ?? null,
    id: k.id, ipAllowList: k.ipAllowList,
    ...(limitScopeId !== k.id ? { limitScopeId } : {}),
    metadata: k.metadata as Record<string, unknown>, name: k.name, prefix: k.prefix,
    providerKeyIds: (bindings ?? []).filter((b) => b.environment === k.environment).map((b) => b.providerKeyId).sort(),
    status: k.status, teamId: k.teamId,
  };
}

/** Everything but the keys: small tables, read whole at every compile. */
async function compileRest(tx: Tx, version: bigint, now: Date, keyName: Names): Promise<ConfigSnapshot> {
  const [providers, providerKeys, teams, customers, budgets, rateLimits, prices, aliases, rules, tenants] = await Promise.all([
    tx.provider.findMany({ where: { enabled: true } }),
    tx.providerKey.findMany({ where: { enabled: true, provider: { enabled: true } } }),
    tx.team.findMany(),
    tx.customer.findMany(),
    tx.budget.findMany({ where: { enabled: true } }),
    tx.rateLimit.findMany({ where: { enabled: true } }),
    tx.modelPrice.findMany(),
    tx.modelAlias.findMany(),
    tx.routingRule.findMany({ where: { enabled: true }, orderBy: [{ priority: "asc" }, { name: "asc" }] }),
    tx.tenantPolicy.findMany({ where: { enabled: true } }),
  ]);
  const teamNames = new Map(teams.map((t) => [t.id, t.slug]));
  const customerNames = new Map(customers.map((c) => [c.id, c.name]));
  const providerKeyNames = new Map(providerKeys.map((k) => [k.id, k.name]));
  // The precedence of one map built from teams, customers, keys, then provider keys (ids are prefixed, so they never clash).
  const names: Names = (id) => providerKeyNames.get(id) ?? keyName(id) ?? customerNames.get(id) ?? teamNames.get(id);
  const snapshot: ConfigSnapshot = {
    version: version.toString(),
    compiledAt: now.toISOString(),
    keys: {},
    providers: {},
    providerKeys: {},
    teams: {},
    customers: {},
    budgets: {},
    rateLimits: {},
    prices: prices.map((p) => ({
      provider: p.provider,
      model: p.model,
      inputPerMTok: Number(p.inputPerMTok),
      outputPerMTok: Number(p.outputPerMTok),
      cacheReadPerMTok: p.cacheReadPerMTok === null ? null : Number(p.cacheReadPerMTok),
      cacheWritePerMTok: p.cacheWritePerMTok === null ? null : Number(p.cacheWritePerMTok),
      effectiveFrom: p.effectiveFrom.getTime(),
    })),
    aliases: Object.fromEntries(aliases.map((a) => [a.alias, { alias: a.alias, provider: a.provider, model: a.model }])),
    routingRules: rules.map((r) => ({
      id: r.id, name: r.name, priority: r.priority,
      match: r.match as Record<string, unknown>, strategy: r.strategy as Record<string, unknown>, targets: r.targets as unknown[],
    })),
    tenantPolicies: tenants.map((t) => ({
      name: t.name, headerName: t.headerName.toLowerCase(), required: t.required, validation: t.validation,
      value: t.value, jwtKeyRef: t.jwtKeyRef, jwtClaim: t.jwtClaim, isTenant: t.isTenant,
    })),
  };
  for (const p of providers) {
    snapshot.providers[p.id] = {
      id: p.id, name: p.name, type: p.type, baseUrl: p.baseUrl, region: p.region,
      apiVersion: p.apiVersion, project: p.project, headers: p.headers as Record<string, string>,
    };
  }
  for (const k of providerKeys) {
    snapshot.providerKeys[k.id] = {
      id: k.id, name: k.name, providerId: k.providerId, environment: k.environment,
      credential: k.credentialRef ?? (k.encryptedCredential ? `encrypted:${k.encryptedCredential}` : null),
      models: k.models, deployments: k.deployments as Record<string, string>, weight: k.weight, region: k.region,
    };
  }
  for (const t of teams) snapshot.teams[t.id] = { id: t.id, slug: t.slug, name: t.name, customerId: t.customerId };
  for (const c of customers) snapshot.customers[c.id] = { id: c.id, name: c.name };
  for (const b of budgets) {
    if (b.scopeType === "global") continue;
    const level = b.scopeType as LimitLevel;
    const rule: CompiledBudget = {
      id: b.id, level, scopeId: b.scopeId, label: label(level, b.scopeId, names),
      limitMicros: Number(b.limitMicros), period: b.period, timeZone: b.timeZone, calendarAligned: b.calendarAligned,
      periodStartMs: b.currentPeriodStart.getTime(), softThresholdPct: b.softThresholdPct, alertWebhookUrl: b.alertWebhookUrl,
    };
    (snapshot.budgets[limitScopeKey(level, b.scopeId)] ??= []).push(rule);
  }
  for (const r of rateLimits) {
    if (r.scopeType === "global") continue;
    const level = r.scopeType as LimitLevel;
    const rule: CompiledRateLimit = { id: r.id, level, scopeId: r.scopeId, label: label(level, r.scopeId, names), rpm: r.rpm, tpm: r.tpm, windowSeconds: r.windowSeconds };
    (snapshot.rateLimits[limitScopeKey(level, r.scopeId)] ??= []).push(rule);
  }
  return snapshot;
}

/** What an incremental compile needs to know about each key it compiled. */
interface KeyFacts {
  hash: string;
  name: string;
  rotatedFromId: string | null;
  /** The row version read (the id of the transaction that wrote it). */
  xmin: string;
}

/** Hashes whose entry an incremental compile wrote or deleted (the only ones that can differ from the previous compile). */
export interface KeyChanges {
  upserted: string[];
  removed: string[];
  /** A key was added or renamed: budget and rate-limit labels may name it. */
  namesChanged: boolean;
}

/** The keys part of a compile, and what the next incremental compile starts from. */
interface KeysState {
  /** Lowest transaction id that could still commit after this compile's snapshot (xid8 as text). */
  horizon: string;
  keys: Record<string, CompiledKey>;
  byId: Map<string, KeyFacts>;
  /** Ids some key names as rotatedFromId. */
  referenced: Set<string>;
  /** Every binding, as bindingId(). */
  bindings: Set<string>;
}

const SEP = "\u001f";
const bindingId = (b: BindingRow) => `${b.virtualKeyId}${SEP}${b.environment}${SEP}${b.providerKeyId}`;

const horizonOf = async (tx: Tx) =>
  (await tx.$queryRaw<{ h: string }[]>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS h`)[0]!.h;

async function compileAllKeys(tx: Tx): Promise<KeysState> {
  const [horizon, keys, bindings, [versions]] = await Promise.all([
    horizonOf(tx), readKeys(tx), readBindings(tx),
    tx.$queryRaw<{ ids: string[]; xmins: string[] }[]>`
      SELECT coalesce(array_agg(id), '{}') AS ids, coalesce(array_agg(xmin::text), '{}') AS xmins FROM virtual_keys`,
  ]);
  const xminOf = new Map<string, string>();
  versions?.ids.forEach((id, i) => xminOf.set(id, versions.xmins[i]!));
  const bindingsOf = groupBindings(bindings);
  const rotatedFrom = new Map(keys.map((k) => [k.id, k.rotatedFromId]));
  const state: KeysState = { horizon, keys: {}, byId: new Map(), referenced: new Set(), bindings: new Set(bindings.map(bindingId)) };
  for (const k of keys) {
    state.keys[k.keyHash] = compileKey(k, bindingsOf.get(k.id), chainRootOf(k.id, (id) => rotatedFrom.get(id)));
    state.byId.set(k.id, { hash: k.keyHash, name: k.name, rotatedFromId: k.rotatedFromId, xmin: xminOf.get(k.id) ?? "" });
    if (k.rotatedFromId) state.referenced.add(k.rotatedFromId);
  }
  return state;
}

/**
 * Brings `state` to the current snapshot, reading only keys whose row changed, found by row
 * version rather than by clock. Candidates are the rows written by a transaction at or after
 * the previous compile's horizon (the oldest transaction that could still commit after its
 * snapshot; a long transaction anywhere on the server holds it back, which only makes the list
 * longer); of those, a row whose version (xmin) is the one read last time is unchanged. Counts
 * reveal deletions. Returns the hashes it rewrote, or undefined, leaving `state` untouched, for a change this does not handle
 * exactly (a key or binding deleted, a binding rewritten, a rotation link changed, a key
 * inserted that others already name): the caller compiles in full.
 */
async function updateChangedKeys(tx: Tx, state: KeysState): Promise<KeyChanges | undefined> {
  const since = state.horizon;
  const [horizon, [keyScan], [bindingScan]] = await Promise.all([
    horizonOf(tx),
    tx.$queryRaw<{ n: number; ids: string[]; xmins: string[] }[]>`
      SELECT count(*)::int AS n,
        coalesce(array_agg(id) FILTER (WHERE age(xmin) <= age((${since}::numeric % 4294967296)::text::xid)), '{}') AS ids,
        coalesce(array_agg(xmin::text) FILTER (WHERE age(xmin) <= age((${since}::numeric % 4294967296)::text::xid)), '{}') AS xmins
      FROM virtual_keys`,
    tx.$queryRaw<{ n: number; changed: string[] }[]>`
      SELECT count(*)::int AS n,
        coalesce(array_agg(virtual_key_id || chr(31) || environment::text || chr(31) || provider_key_id)
          FILTER (WHERE age(xmin) <= age((${since}::numeric % 4294967296)::text::xid)), '{}') AS changed
      FROM virtual_key_bindings`,
  ]);
  if (!keyScan || !bindingScan) return undefined;
  const xminOf = new Map<string, string>();
  const changed: string[] = [];
  let inserted = 0;
  keyScan.ids.forEach((id, i) => {
    const xmin = keyScan.xmins[i]!;
    const known = state.byId.get(id);
    if (!known) inserted++;
    if (known?.xmin === xmin) return;
    changed.push(id);
    xminOf.set(id, xmin);
  });
  // n = before - deleted + inserted, and every inserted row is a candidate: no deletion iff these match.
  if (keyScan.n !== state.byId.size + inserted) return undefined;
  const newBindings = bindingScan.changed.filter((b) => !state.bindings.has(b));
  if (bindingScan.n !== state.bindings.size + newBindings.length) return undefined;
  const touched = [...new Set([...changed, ...newBindings.map((b) => b.slice(0, b.indexOf(SEP)))])];
  const [rows, bindings] = touched.length ? await Promise.all([readKeys(tx, touched), readBindings(tx, touched)]) : [[], []];
  for (const k of rows) {
    const known = state.byId.get(k.id);
    if (known ? known.rotatedFromId !== k.rotatedFromId : state.referenced.has(k.id)) return undefined;
  }
  // Everything is read and checked: only now is the state changed (in place; see createIncrementalCompiler).
  state.horizon = horizon;
  for (const b of newBindings) state.bindings.add(b);
  const previousHash = new Map(rows.map((k) => [k.id, state.byId.get(k.id)?.hash]));
  const previousName = new Map(rows.map((k) => [k.id, state.byId.get(k.id)?.name]));
  for (const k of rows) {
    const xmin = xminOf.get(k.id) ?? state.byId.get(k.id)!.xmin;
    state.byId.set(k.id, { hash: k.keyHash, name: k.name, rotatedFromId: k.rotatedFromId, xmin });
    if (k.rotatedFromId) state.referenced.add(k.rotatedFromId);
  }
  const bindingsOf = groupBindings(bindings);
  const changes: KeyChanges = { upserted: [], removed: [], namesChanged: rows.some((k) => previousName.get(k.id) !== k.name) };
  for (const k of rows) {
    const before = previousHash.get(k.id);
    if (before !== undefined && before !== k.keyHash) {
      delete state.keys[before];
      changes.removed.push(before);
    }
    state.keys[k.keyHash] = compileKey(k, bindingsOf.get(k.id), chainRootOf(k.id, (id) => state.byId.get(id)?.rotatedFromId));
    changes.upserted.push(k.keyHash);
  }
  return changes;
}

/** The tables compileRest reads (PostgreSQL names). */
const restTables = [
  "providers", "provider_keys", "teams", "customers", "budgets", "rate_limits", "model_prices", "model_aliases", "routing_rules", "tenant_policies",
] as const;

/**
 * Row counts of the tables compileRest reads, or undefined when any of them has a row written
 * at or after `since` (the previous compile's horizon: see updateChangedKeys). Equal counts and
 * no such row mean no row was added, changed or deleted since that compile.
 */
async function restCounts(tx: Tx, since: string): Promise<number[] | undefined> {
  const rows = await tx.$queryRawUnsafe<{ t: string; n: number; c: number }[]>(
    restTables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n, (count(*) FILTER (WHERE age(xmin) <= age(($1::numeric % 4294967296)::text::xid)))::int AS c FROM ${t}`).join(" UNION ALL "),
    since,
  );
  if (rows.length !== restTables.length || rows.some((r) => r.c > 0)) return undefined;
  return restTables.map((t) => rows.find((r) => r.t === t)!.n);
}

const sameCounts = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

function withKeys(rest: ConfigSnapshot, keys: KeysState): ConfigSnapshot {
  return { ...rest, keys: keys.keys };
}

const transactionOptions = { isolationLevel: "RepeatableRead", timeout: 60_000 } as const;

/**
 * Compiles the gateway's configuration from PostgreSQL in one REPEATABLE READ
 * transaction, so the snapshot is one consistent version.
 */
export async function compileSnapshot(prisma: PrismaClient, now: Date = new Date()): Promise<ConfigSnapshot> {
  return prisma.$transaction(async (tx) => {
    const version = await readConfigVersion(tx);
    const keys = await compileAllKeys(tx);
    return withKeys(await compileRest(tx, version, now, (id) => keys.byId.get(id)?.name), keys);
  }, transactionOptions);
}

export interface IncrementalCompiler {
  /**
   * The same snapshot compileSnapshot would return, reading again only the keys changed since
   * the previous call (the other, small sections are read whole). `full` reports whether it
   * compiled everything (the first call, or a change the incremental path does not handle);
   * otherwise `keyChanges` names the only keys whose entries can differ from the previous call's.
   * The returned `keys` record belongs to the compiler and is changed in place by the next
   * call (a copy of 100,000 keys costs ~100 ms): read it, or copy it, but do not keep it.
   */
  compile(now?: Date): Promise<{ snapshot: ConfigSnapshot; full: boolean; keyChanges?: KeyChanges }>;
}

/** For a long-lived publisher (the console): at 100,000 keys a full compile takes seconds. One call at a time. */
export function createIncrementalCompiler(prisma: PrismaClient): IncrementalCompiler {
  let state: KeysState | undefined;
  // The other sections as last compiled, and their tables' row counts then.
  let rest: { snapshot: ConfigSnapshot; counts: number[] } | undefined;
  return {
    async compile(now = new Date()) {
      const previous = state;
      const previousRest = rest;
      // Unset until this compile succeeds: a failure part-way leaves nothing half-updated to build on.
      state = undefined;
      rest = undefined;
      const result = await prisma.$transaction(async (tx) => {
        const version = await readConfigVersion(tx);
        const since = previous?.horizon;
        const keyChanges = previous && (await updateChangedKeys(tx, previous));
        const keys = keyChanges ? previous! : await compileAllKeys(tx);
        // The small tables unchanged and no key renamed or added (labels name keys): the same sections as last time.
        const counts = since !== undefined && previousRest && keyChanges && !keyChanges.namesChanged ? await restCounts(tx, since) : undefined;
        const unchanged = counts && previousRest && sameCounts(counts, previousRest.counts);
        const restSnapshot = unchanged
          ? { ...previousRest.snapshot, version: version.toString(), compiledAt: now.toISOString() }
          : await compileRest(tx, version, now, (id) => keys.byId.get(id)?.name);
        const restCountsNow = unchanged ? previousRest.counts : await restCounts(tx, keys.horizon);
        return { snapshot: withKeys(restSnapshot, keys), keys, keyChanges, rest: restCountsNow && { snapshot: restSnapshot, counts: restCountsNow } };
      }, transactionOptions);
      state = result.keys;
      rest = result.rest;
      return { snapshot: result.snapshot, full: !result.keyChanges, ...(result.keyChanges ? { keyChanges: result.keyChanges } : {}) };
    },
  };
}
