/**
 * The compiled configuration a gateway holds in memory: everything the request path
 * needs, keyed for O(1) lookups, JSON-serializable so it can be signed, published on
 * Redis and kept on disk. Produced by `@portcullis/config-sync` from PostgreSQL.
 */
export type EnvironmentName = "dev" | "staging" | "prod";
export type LimitLevel = "customer" | "team" | "virtual_key" | "provider_key" | "tenant";

export interface CompiledKey {
  id: string;
  name: string;
  prefix: string;
  status: "active" | "disabled" | "revoked";
  /** Epoch ms, or null. */
  expiresAt: number | null;
  /** Old key of a rotation: still valid until then (epoch ms). */
  graceExpiresAt: number | null;
  teamId: string | null;
  customerId: string | null;
  environment: EnvironmentName;
  allowedProviders: string[];
  allowedModels: string[];
  blockedModels: string[];
  allowedEndpoints: string[];
  ipAllowList: string[];
  metadata: Record<string, unknown>;
  /** Provider key ids this key may use in its environment; empty = any key of its environment. */
  providerKeyIds: string[];
  /** The first key of this key's rotation chain: the scope its virtual-key limits are counted at. */
  limitScopeId?: string;
}

export interface CompiledProvider {
  id: string;
  name: string;
  type: string;
  baseUrl: string | null;
  region: string | null;
  apiVersion: string | null;
  project: string | null;
  headers: Record<string, string>;
}

export interface CompiledProviderKey {
  id: string;
  name: string;
  providerId: string;
  environment: EnvironmentName;
  /** Secret reference, or `encrypted:<envelope>` for a value encrypted at rest. */
  credential: string | null;
  models: string[];
  deployments: Record<string, string>;
  weight: number;
  region: string | null;
}

export interface CompiledBudget {
  id: string;
  level: LimitLevel;
  scopeId: string;
  label: string;
  limitMicros: number;
  period: "day" | "week" | "month" | "quarter" | "year" | "lifetime";
  timeZone: string;
  calendarAligned: boolean;
  /** Start of the current rolling period (epoch ms) for non-aligned budgets. */
  periodStartMs: number;
  softThresholdPct: number;
  alertWebhookUrl: string | null;
}

export interface CompiledRateLimit {
  id: string;
  level: LimitLevel;
  scopeId: string;
  label: string;
  rpm: number | null;
  tpm: number | null;
  windowSeconds: number;
}

export interface CompiledPrice {
  provider: string;
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok: number | null;
  cacheWritePerMTok: number | null;
  effectiveFrom: number;
}

export interface CompiledAlias {
  alias: string;
  provider: string | null;
  model: string;
}

export interface CompiledRoutingRule {
  id: string;
  name: string;
  priority: number;
  match: Record<string, unknown>;
  strategy: Record<string, unknown>;
  targets: unknown[];
}

export interface CompiledTenantPolicy {
  name: string;
  headerName: string;
  required: boolean;
  validation: "exact" | "regex";
  value: string | null;
  jwtKeyRef: string | null;
  jwtClaim: string | null;
  /** This header names the tenant (attribution and tenant-scoped limits). */
  isTenant: boolean;
}

export interface ConfigSnapshot {
  /** config_state.version as a decimal string. */
  version: string;
  compiledAt: string;
  /** HMAC-SHA256 hex of the key -> key. */
  keys: Record<string, CompiledKey>;
  providers: Record<string, CompiledProvider>;
  providerKeys: Record<string, CompiledProviderKey>;
  teams: Record<string, { id: string; slug: string; name: string; customerId: string | null }>;
  customers: Record<string, { id: string; name: string }>;
  /** `<level>:<scopeId>` -> rules. */
  budgets: Record<string, CompiledBudget[]>;
  rateLimits: Record<string, CompiledRateLimit[]>;
  prices: CompiledPrice[];
  aliases: Record<string, CompiledAlias>;
  routingRules: CompiledRoutingRule[];
  tenantPolicies: CompiledTenantPolicy[];
}

export const limitScopeKey = (level: LimitLevel, scopeId: string): string => `${level}:${scopeId}`;
