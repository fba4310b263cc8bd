import { z } from "zod";
import { isWellFormedVirtualKey, virtualKeyPrefix } from "@portcullis/core";
import { routingRuleSpecSchema } from "@portcullis/policy";

/**
 * The declarative configuration file (`portcullis apply -f`). Resources are named
 * by their natural keys (provider name, provider/key name, team slug, customer name,
 * virtual key name) so a file can be applied to any install, any number of times.
 */

const secretRefSchema = z
  .string()
  .regex(/^(env|file|vault|aws-sm|gcp-sm|azure-kv):\/\/.+/, "must be a secret reference (env://, file://, vault://, aws-sm://, gcp-sm://, azure-kv://), never the secret itself");

const ianaZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "unknown IANA time zone");

export const environmentSchema = z.enum(["dev", "staging", "prod"]);

export const budgetSchema = z.strictObject({
  name: z.string().min(1).optional(),
  /** USD. Stored in micro-USD. */
  limit: z.number().nonnegative().max(1e12),
  period: z.enum(["day", "week", "month", "quarter", "year", "lifetime"]),
  timeZone: ianaZone.default("UTC"),
  calendarAligned: z.boolean().default(true),
  softThresholdPct: z.number().int().min(1).max(100).default(80),
  alertWebhookUrl: z.url().optional(),
  enabled: z.boolean().default(true),
});
export type BudgetSpec = z.infer<typeof budgetSchema>;

export const rateLimitSchema = z
  .strictObject({
    rpm: z.number().int().positive().optional(),
    tpm: z.number().int().positive().optional(),
    windowSeconds: z.number().int().min(1).max(86_400).default(60),
    enabled: z.boolean().default(true),
  })
  .refine((r) => r.rpm !== undefined || r.tpm !== undefined, "set rpm, tpm or both");
export type RateLimitSpec = z.infer<typeof rateLimitSchema>;

const limits = {
  budgets: z.array(budgetSchema).default([]),
  rateLimits: z.array(rateLimitSchema).default([]),
};

export const providerKeySchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "lower-case letters, digits, '.', '_' or '-'"),
  environment: environmentSchema.default("prod"),
  credential: secretRefSchema.optional(),
  models: z.array(z.string().min(1)).default([]),
  deployments: z.record(z.string(), z.string()).default({}),
  weight: z.number().int().min(0).max(1000).default(1),
  region: z.string().optional(),
  enabled: z.boolean().default(true),
  ...limits,
});
export type ProviderKeySpec = z.infer<typeof providerKeySchema>;

export const providerTypeNames = [
  "openai", "azure-openai", "anthropic", "bedrock", "gemini", "vertex", "mistral", "groq", "deepseek",
  "xai", "together", "fireworks", "openrouter", "ollama", "vllm", "openai-compatible",
] as const;

export const providerSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "lower-case letters, digits, '.', '_' or '-'"),
  type: z.enum(providerTypeNames),
  baseUrl: z.url().optional(),
  region: z.string().optional(),
  apiVersion: z.string().optional(),
  project: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  enabled: z.boolean().default(true),
  keys: z.array(providerKeySchema).default([]),
});
export type ProviderSpec = z.infer<typeof providerSchema>;

const usdPerMTok = z.number().nonnegative().max(1e6);
const isoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const priceSchema = z.strictObject({
  provider: z.enum(providerTypeNames),
  model: z.string().min(1),
  inputPerMTok: usdPerMTok,
  outputPerMTok: usdPerMTok,
  cacheReadPerMTok: usdPerMTok.optional(),
  cacheWritePerMTok: usdPerMTok.optional(),
  effectiveFrom: isoDate,
  source: z.string().default("manual"),
});
export type PriceSpec = z.infer<typeof priceSchema>;

export const customerSchema = z.strictObject({
  name: z.string().min(1),
  externalId: z.string().min(1).optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  ...limits,
});
export type CustomerSpec = z.infer<typeof customerSchema>;

export const teamSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and '-'"),
  name: z.string().min(1),
  description: z.string().optional(),
  customer: z.string().min(1).optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  ...limits,
});
export type TeamSpec = z.infer<typeof teamSchema>;

export const virtualKeySchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Plaintext to store (hashed), for tests and migrations from other gateways. Never exported. */
  key: z
    .string()
    .min(16, "a key must be at least 16 characters")
    .max(256)
    .refine((k) => !k.startsWith(virtualKeyPrefix) || isWellFormedVirtualKey(k), "a pck_ key must be one Portcullis generated (its checksum does not match)")
    .optional(),
  team: z.string().optional(),
  customer: z.string().optional(),
  environment: environmentSchema.default("prod"),
  status: z.enum(["active", "disabled", "revoked"]).default("active"),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  allowedProviders: z.array(z.string().min(1)).default([]),
  allowedModels: z.array(z.string().min(1)).default([]),
  blockedModels: z.array(z.string().min(1)).default([]),
  allowedEndpoints: z.array(z.string().min(1)).default([]),
  ipAllowList: z.array(z.string().min(1)).default([]),
  metadata: z.record(z.string(), z.unknown()).default({}),
  /** environment -> provider keys as `provider/key`. */
  bindings: z.partialRecord(environmentSchema, z.array(z.string().regex(/^[^/]+\/[^/]+$/, "expected provider/key"))).default({}),
  ...limits,
});
export type VirtualKeySpec = z.infer<typeof virtualKeySchema>;

/** A header every gateway request must carry; `tenant: true` makes its value the tenant id. */
export const headerRuleSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9-]+$/, "lower-case header name"),
    required: z.boolean().default(true),
    exact: z.string().optional(),
    pattern: z.string().refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, "invalid regular expression").optional(),
    tenant: z.boolean().default(false),
    /** The header carries a signed JWT: verified with this key (secret reference), tenant from the claim. */
    jwt: z.strictObject({ key: secretRefSchema, claim: z.string().default("sub") }).optional(),
    enabled: z.boolean().default(true),
  })
  .refine((h) => [h.exact, h.pattern, h.jwt].filter((x) => x !== undefined).length <= 1, "set at most one of exact, pattern, jwt");
export type HeaderRuleSpec = z.infer<typeof headerRuleSchema>;

/** Limits of a tenant named by the tenant header. */
export const tenantSchema = z.strictObject({
  id: z.string().min(1).max(200),
  ...limits,
});
export type TenantSpec = z.infer<typeof tenantSchema>;

/** A model name clients may use for another model (`gpt-default` -> `azure-eastus/gpt-4o`). */
export const aliasSchema = z.strictObject({
  alias: z.string().min(1),
  provider: z.string().min(1).optional(),
  model: z.string().min(1),
  description: z.string().optional(),
});
export type AliasSpec = z.infer<typeof aliasSchema>;

export const configDocumentSchema = z.strictObject({
  apiVersion: z.literal("portcullis/v1"),
  providers: z.array(providerSchema).default([]),
  prices: z.array(priceSchema).default([]),
  customers: z.array(customerSchema).default([]),
  teams: z.array(teamSchema).default([]),
  virtualKeys: z.array(virtualKeySchema).default([]),
  headers: z.array(headerRuleSchema).default([]),
  tenants: z.array(tenantSchema).default([]),
  aliases: z.array(aliasSchema).default([]),
  routingRules: z.array(routingRuleSpecSchema).default([]),
});
export type ConfigDocument = z.infer<typeof configDocumentSchema>;
