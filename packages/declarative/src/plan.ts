import { isDeepStrictEqual } from "node:util";
import { formatPath, type ConfigProblem, type LoadedConfig, type PathSegment } from "./load";
import { validateRoutingRules } from "@portcullis/policy";
import { providerTypeNames, type BudgetSpec, type RateLimitSpec } from "./schema";
import { toInstant, type CurrentState } from "./state";

export type ResourceKind = "provider" | "provider_key" | "price" | "customer" | "team" | "virtual_key" | "budget" | "rate_limit" | "header" | "alias" | "routing_rule";
export type OwnerKind = "customer" | "team" | "virtual_key" | "provider_key" | "tenant";

export interface Change {
  op: "create" | "update" | "delete";
  kind: ResourceKind;
  /** Natural key: `openai`, `openai/prod-key`, `team ml-research month`. */
  name: string;
  path: PathSegment[];
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Field names that differ (updates). */
  fields?: string[];
  /** For budgets and rate limits: whose they are. */
  owner?: { kind: OwnerKind; name: string };
}

export interface Plan {
  changes: Change[];
  unchanged: number;
}

/** Drops undefined fields, sorts keys, normalizes instants: the form both sides are compared in. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = normalize(v);
    }
    return out;
  }
  return value;
}

function compare<T extends object>(desired: T, current: T | undefined, omit: string[] = []) {
  const strip = (o: object) => normalize(Object.fromEntries(Object.entries(o).filter(([k]) => !omit.includes(k)))) as Record<string, unknown>;
  const after = strip(desired);
  if (!current) return { after, before: undefined, fields: undefined };
  const before = strip(current);
  const fields = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter((k) => !isDeepStrictEqual(after[k], before[k]));
  return { after, before, fields };
}

/** Cross-references: every name a file uses must exist in the file or in the database. */
function referenceProblems(loaded: LoadedConfig, state: CurrentState): ConfigProblem[] {
  const doc = loaded.document;
  const problems: ConfigProblem[] = [];
  const known = (fromFile: string[], fromDb: Iterable<string>) => new Set([...fromFile, ...fromDb]);
  const customers = known(doc.customers.map((c) => c.name), state.ids.customers.keys());
  const teams = known(doc.teams.map((t) => t.slug), state.ids.teams.keys());
  const providerNames = known(doc.providers.map((p) => p.name), state.ids.providers.keys());
  const providerKeys = known(doc.providers.flatMap((p) => p.keys.map((k) => `${p.name}/${k.name}`)), state.ids.providerKeys.keys());
  const missing = (path: PathSegment[], what: string, value: string, set: Set<string>) => {
    if (!set.has(value)) {
      const hint = set.size ? ` (known: ${[...set].sort().slice(0, 8).join(", ")}${set.size > 8 ? ", …" : ""})` : "";
      problems.push(loaded.locate(path, `unknown ${what} "${value}"${hint}`));
    }
  };
  doc.teams.forEach((t, i) => t.customer && missing(["teams", i, "customer"], "customer", t.customer, customers));
  doc.virtualKeys.forEach((k, i) => {
    if (k.team) missing(["virtualKeys", i, "team"], "team", k.team, teams);
    if (k.customer) missing(["virtualKeys", i, "customer"], "customer", k.customer, customers);
    for (const [env, list] of Object.entries(k.bindings)) {
      list?.forEach((ref, j) => missing(["virtualKeys", i, "bindings", env, j], "provider key", ref, providerKeys));
    }
    const providerLike = new Set<string>([...providerNames, ...providerTypeNames, "*"]);
    k.allowedProviders.forEach((p, j) => missing(["virtualKeys", i, "allowedProviders", j], "provider", p, providerLike));
  });
  // Routing rules: every target a configured provider (and key), no empty group, no unreachable rule.
  const catalog = new Map<string, Set<string>>();
  for (const p of [...state.document.providers, ...doc.providers]) {
    const keys = catalog.get(p.name) ?? new Set<string>();
    for (const k of p.keys) keys.add(k.name);
    catalog.set(p.name, keys);
  }
  const ruleIndex = new Map(doc.routingRules.map((r, i) => [r.name, i]));
  const current = state.document.routingRules.filter((r) => !ruleIndex.has(r.name));
  for (const p of validateRoutingRules([...current, ...doc.routingRules], { providers: catalog })) {
    const i = ruleIndex.get(p.rule);
    problems.push(i === undefined ? { file: loaded.file, path: ["routingRules"], message: `existing rule "${p.rule}": ${p.message}` } : loaded.locate(["routingRules", i, ...p.path], p.message));
  }
  doc.aliases.forEach((a, i) => a.provider && !providerNames.has(a.provider) && !(providerTypeNames as readonly string[]).includes(a.provider) && missing(["aliases", i, "provider"], "provider", a.provider, providerNames));
  return problems;
}

function limitChanges(
  owner: { kind: OwnerKind; name: string },
  base: PathSegment[],
  desired: { budgets: BudgetSpec[]; rateLimits: RateLimitSpec[] },
  current: { budgets: BudgetSpec[]; rateLimits: RateLimitSpec[] } | undefined,
  out: Change[],
): number {
  let unchanged = 0;
  const label = `${owner.kind.replace("_", " ")} ${owner.name}`;
  const diff = <T extends object>(kind: "budget" | "rate_limit", section: "budgets" | "rateLimits", want: T[], have: T[], keyOf: (t: T) => string) => {
    const haveByKey = new Map(have.map((h) => [keyOf(h), h]));
    want.forEach((w, i) => {
      const h = haveByKey.get(keyOf(w));
      haveByKey.delete(keyOf(w));
      const { after, before, fields } = compare(w, h);
      const name = `${label} ${keyOf(w)}`;
      if (!h) out.push({ op: "create", kind, name, path: [...base, section, i], after, owner });
      else if (fields!.length) out.push({ op: "update", kind, name, path: [...base, section, i], before, after, fields, owner });
      else unchanged++;
    });
    // The file states an owner's whole set of limits: limits it no longer lists are removed.
    for (const [key, h] of haveByKey) out.push({ op: "delete", kind, name: `${label} ${key}`, path: [...base, section], before: compare(h, undefined).after, owner });
  };
  diff("budget", "budgets", desired.budgets, current?.budgets ?? [], (b) => b.period);
  diff("rate_limit", "rateLimits", desired.rateLimits, current?.rateLimits ?? [], (r) => `${r.windowSeconds}s`);
  return unchanged;
}

/**
 * What applying the file would change. Resources the file does not mention are left
 * alone; the budgets and rate limits of a resource it does mention are replaced.
 */
export function planChanges(loaded: LoadedConfig, state: CurrentState, hashKey: (plaintext: string) => string): Plan | { problems: ConfigProblem[] } {
  const problems = referenceProblems(loaded, state);
  if (problems.length) return { problems };
  const doc = loaded.document;
  const cur = state.document;
  const changes: Change[] = [];
  let unchanged = 0;
  const push = (kind: ResourceKind, name: string, path: PathSegment[], r: ReturnType<typeof compare>) => {
    if (!r.before) changes.push({ op: "create", kind, name, path, after: r.after });
    else if (r.fields!.length) changes.push({ op: "update", kind, name, path, before: r.before, after: r.after, fields: r.fields });
    else unchanged++;
  };

  doc.providers.forEach((p, i) => {
    const have = cur.providers.find((c) => c.name === p.name);
    push("provider", p.name, ["providers", i], compare(p, have, ["keys"]));
    p.keys.forEach((k, j) => {
      const name = `${p.name}/${k.name}`;
      const haveKey = have?.keys.find((c) => c.name === k.name);
      // A credential set in the console as an encrypted value is kept unless the file names a reference.
      const omit = ["budgets", "rateLimits", ...(k.credential === undefined && state.encryptedCredentials.has(name) ? ["credential"] : [])];
      push("provider_key", name, ["providers", i, "keys", j], compare(k, haveKey, omit));
      unchanged += limitChanges({ kind: "provider_key", name }, ["providers", i, "keys", j], k, haveKey, changes);
    });
  });
  doc.prices.forEach((p, i) => {
    const at = toInstant(p.effectiveFrom);
    const have = cur.prices.find((c) => c.provider === p.provider && c.model === p.model && toInstant(c.effectiveFrom) === at);
    push("price", `${p.provider}/${p.model}@${p.effectiveFrom}`, ["prices", i], compare({ ...p, effectiveFrom: at }, have && { ...have, effectiveFrom: at }));
  });
  doc.customers.forEach((c, i) => {
    const have = cur.customers.find((x) => x.name === c.name);
    push("customer", c.name, ["customers", i], compare(c, have, ["budgets", "rateLimits"]));
    unchanged += limitChanges({ kind: "customer", name: c.name }, ["customers", i], c, have, changes);
  });
  doc.teams.forEach((t, i) => {
    const have = cur.teams.find((x) => x.slug === t.slug);
    push("team", t.slug, ["teams", i], compare(t, have, ["budgets", "rateLimits"]));
    unchanged += limitChanges({ kind: "team", name: t.slug }, ["teams", i], t, have, changes);
  });
  doc.virtualKeys.forEach((k, i) => {
    const have = cur.virtualKeys.find((x) => x.name === k.name);
    const sortedBindings = Object.fromEntries(Object.entries(k.bindings).map(([e, l]) => [e, [...(l ?? [])].sort()]));
    const r = compare({ ...k, expiresAt: k.expiresAt && toInstant(k.expiresAt), bindings: sortedBindings }, have, ["key", "budgets", "rateLimits"]);
    const rekey = have !== undefined && k.key !== undefined && hashKey(k.key) !== state.virtualKeyHashes.get(k.name);
    if (rekey) r.fields!.push("key");
    push("virtual_key", k.name, ["virtualKeys", i], r);
    unchanged += limitChanges({ kind: "virtual_key", name: k.name }, ["virtualKeys", i], k, have, changes);
  });
  doc.headers.forEach((h, i) => {
    const have = cur.headers.find((x) => x.name === h.name);
    const norm = (x: typeof h) => ({ ...x, ...(x.jwt ? { jwt: { key: x.jwt.key, claim: x.jwt.claim } } : {}) });
    push("header", h.name, ["headers", i], compare(norm(h), have && norm(have)));
  });
  doc.aliases.forEach((a, i) => push("alias", a.alias, ["aliases", i], compare(a, cur.aliases.find((x) => x.alias === a.alias))));
  doc.routingRules.forEach((r, i) => push("routing_rule", r.name, ["routingRules", i], compare(r, cur.routingRules.find((x) => x.name === r.name))));
  doc.tenants.forEach((t, i) => {
    const have = cur.tenants.find((x) => x.id === t.id);
    unchanged += limitChanges({ kind: "tenant", name: t.id }, ["tenants", i], t, have, changes);
  });
  return { changes, unchanged };
}

const money = (v: unknown) => (typeof v === "number" ? `$${v.toFixed(2)}` : String(v));

/** Human-readable plan, as `--dry-run` prints it. Secrets never appear: keys are not in `after`. */
export function formatPlan(plan: Plan): string {
  const lines = plan.changes.map((c) => {
    const sign = c.op === "create" ? "+" : c.op === "delete" ? "-" : "~";
    const label = `${c.kind.replace("_", " ")} ${c.name}`;
    if (c.op === "update") {
      const detail = c.fields!.map((f) => (f === "key" ? "key: (new plaintext)" : `${f}: ${JSON.stringify(c.before?.[f])} -> ${JSON.stringify(c.after?.[f])}`));
      return `${sign} ${label}\n    ${detail.join("\n    ")}`;
    }
    if (c.kind === "budget" && c.after) return `${sign} ${label} budget: ${money(c.after.limit)}`;
    return `${sign} ${label}  (${formatPath(c.path)})`;
  });
  lines.push(`${plan.changes.length} change(s), ${plan.unchanged} unchanged`);
  return lines.join("\n");
}
