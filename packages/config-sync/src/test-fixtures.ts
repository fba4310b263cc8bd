import type { CompiledKey, ConfigSnapshot } from "@portcullis/core";

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed by seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const hex = (rng: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join("");

export function fakeKey(rng: () => number, i: number): CompiledKey {
  return {
    id: `vk_${i.toString(36).padStart(8, "0")}`, name: `key-${i}`, prefix: `pck_${hex(rng, 6)}`,
    status: pick(rng, ["active", "active", "active", "disabled", "revoked"] as const),
    expiresAt: rng() < 0.3 ? 1_900_000_000_000 + Math.floor(rng() * 1e9) : null, graceExpiresAt: null,
    teamId: rng() < 0.8 ? `team_${Math.floor(rng() * 50)}` : null, customerId: rng() < 0.3 ? `cus_${Math.floor(rng() * 20)}` : null,
    environment: pick(rng, ["dev", "staging", "prod"] as const),
    allowedProviders: ["*"], allowedModels: rng() < 0.5 ? ["*"] : ["openai/gpt-4o", "anthropic/claude-sonnet"], blockedModels: [],
    allowedEndpoints: ["*"], ipAllowList: rng() < 0.1 ? ["10.0.0.0/8"] : [],
    metadata: rng() < 0.5 ? { owner: `user-${Math.floor(rng() * 100)}`, tags: ["a", "b"] } : {},
    providerKeyIds: rng() < 0.2 ? ["pk_a", "pk_b"] : [],
  };
}

/** A snapshot with `n` keys and a little of everything else. */
export function fakeSnapshot(rng: () => number, version: number, n: number): ConfigSnapshot {
  const s: ConfigSnapshot = {
    version: String(version), compiledAt: new Date(1_800_000_000_000 + version * 1000).toISOString(),
    keys: {}, providers: {}, providerKeys: {}, teams: {}, customers: {}, budgets: {}, rateLimits: {},
    prices: [{ provider: "openai", model: "gpt-4o", inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25, cacheWritePerMTok: null, effectiveFrom: 0 }],
    aliases: { fast: { alias: "fast", provider: "openai", model: "gpt-4o-mini" } },
    routingRules: [{ id: "rr_1", name: "default", priority: 10, match: {}, strategy: { type: "fallback" }, targets: ["pk_a"] }],
    tenantPolicies: [],
  };
  for (let i = 0; i < n; i++) s.keys[hex(rng, 64)] = fakeKey(rng, i);
  for (let i = 0; i < 3; i++) {
    s.providers[`prv_${i}`] = { id: `prv_${i}`, name: `p${i}`, type: "openai", baseUrl: null, region: null, apiVersion: null, project: null, headers: {} };
    s.providerKeys[`pk_${i}`] = { id: `pk_${i}`, name: `k${i}`, providerId: `prv_${i}`, environment: "prod", credential: "env://X", models: [], deployments: {}, weight: 1, region: null };
  }
  for (let i = 0; i < 5; i++) {
    s.teams[`team_${i}`] = { id: `team_${i}`, slug: `t${i}`, name: `Team ${i}`, customerId: null };
    s.rateLimits[`team:team_${i}`] = [{ id: `rl_${i}`, level: "team", scopeId: `team_${i}`, label: `team "t${i}"`, rpm: 60, tpm: null, windowSeconds: 60 }];
  }
  return s;
}

/** A copy of `s` at `version` with a few random edits across sections. */
export function mutateSnapshot(rng: () => number, s: ConfigSnapshot, version: number, edits: number): ConfigSnapshot {
  const next = structuredClone(s);
  next.version = String(version);
  next.compiledAt = new Date(Date.parse(s.compiledAt) + 1000).toISOString();
  for (let e = 0; e < edits; e++) {
    const hashes = Object.keys(next.keys);
    switch (Math.floor(rng() * 9)) {
      case 0: if (hashes.length) next.keys[pick(rng, hashes)]!.status = "revoked"; break;
      case 1: if (hashes.length) delete next.keys[pick(rng, hashes)]; break;
      case 2: next.keys[hex(rng, 64)] = fakeKey(rng, 1_000_000 + e); break;
      case 3: if (hashes.length) next.keys[pick(rng, hashes)]!.metadata = { changed: rng() }; break;
      case 4: next.teams[`team_x${e}`] = { id: `team_x${e}`, slug: `x${e}`, name: "X", customerId: null }; break;
      case 5: delete next.rateLimits[pick(rng, [...Object.keys(next.rateLimits), "none"])]; break;
      case 6: next.budgets[`customer:cus_${e}`] = [{ id: `bud_${e}`, level: "customer", scopeId: `cus_${e}`, label: "c", limitMicros: 1e6, period: "month", timeZone: "UTC", calendarAligned: true, periodStartMs: 0, softThresholdPct: 80, alertWebhookUrl: null }]; break;
      case 7: next.prices = [...next.prices, { provider: "x", model: `m${e}`, inputPerMTok: rng(), outputPerMTok: 1, cacheReadPerMTok: null, cacheWritePerMTok: null, effectiveFrom: e }]; break;
      default: next.aliases = { ...next.aliases, [`a${e}`]: { alias: `a${e}`, provider: null, model: "m" } };
    }
  }
  return next;
}
