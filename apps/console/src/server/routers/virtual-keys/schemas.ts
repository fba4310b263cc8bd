import { z } from "zod";
import { descriptionSchema, environmentSchema, idSchema, nameSchema, pageSchema, patternListSchema, periodSchema, usdSchema } from "../schemas";

export const keyBudgetSchema = z.object({ limitUsd: usdSchema, period: periodSchema });
export const keyRateLimitSchema = z
  .object({
    rpm: z.number().int().positive().max(10_000_000).nullable(),
    tpm: z.number().int().positive().max(10_000_000_000).nullable(),
  })
  .refine((r) => r.rpm !== null || r.tpm !== null, "Set requests or tokens per minute, or remove the rate limit");

const ipListSchema = z
  .array(z.string().trim().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, "Use an IP address or CIDR such as 10.0.0.0/8"))
  .max(100);

export const createKeySchema = z.object({
  name: nameSchema,
  description: descriptionSchema,
  /** null = an organisation-wide key (needs virtual_key.create globally). */
  teamId: idSchema.nullable(),
  customerId: idSchema.nullable().optional(),
  environment: environmentSchema.default("prod"),
  allowedProviders: patternListSchema.default(["*"]),
  allowedModels: patternListSchema.default(["*"]),
  blockedModels: patternListSchema.default([]),
  allowedEndpoints: patternListSchema.default(["*"]),
  ipAllowList: ipListSchema.default([]),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  budget: keyBudgetSchema.nullable().optional(),
  rateLimit: keyRateLimitSchema.nullable().optional(),
  providerKeyIds: z.array(idSchema).max(50).default([]),
});
export type CreateKeyInput = z.infer<typeof createKeySchema>;

export const updateKeySchema = z.object({
  id: idSchema,
  name: nameSchema.optional(),
  description: descriptionSchema.nullable(),
  allowedProviders: patternListSchema.optional(),
  allowedModels: patternListSchema.optional(),
  blockedModels: patternListSchema.optional(),
  allowedEndpoints: patternListSchema.optional(),
  ipAllowList: ipListSchema.optional(),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** undefined: unchanged; null: removed; a value: replaces the key's budget. */
  budget: keyBudgetSchema.nullable().optional(),
  rateLimit: keyRateLimitSchema.nullable().optional(),
  providerKeyIds: z.array(idSchema).max(50).optional(),
});
export type UpdateKeyInput = z.infer<typeof updateKeySchema>;

export const listKeysSchema = pageSchema.extend({
  teamId: idSchema.optional(),
  status: z.enum(["active", "revoked", "disabled", "expired", "grace"]).optional(),
  environment: environmentSchema.optional(),
  search: z.string().trim().max(100).optional(),
});

export const rotateKeySchema = z.object({
  id: idSchema,
  /** How long the old key keeps working; 0 revokes it at once. */
  graceHours: z.number().int().min(0).max(720).default(24),
});
