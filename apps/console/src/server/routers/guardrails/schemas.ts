import { z } from "zod";
import { idSchema, nameSchema, secretRefSchema } from "../schemas";

/** Check kinds a guardrail policy can run, with the shape of each kind's `config`. */
export const guardrailKinds = ["pii", "regex", "keywords", "prompt-injection", "webhook"] as const;
export type GuardrailKind = (typeof guardrailKinds)[number];

export const piiEntityTypes = ["email", "phone", "credit_card", "iban", "us_ssn", "ip_address", "api_key", "person_name", "address"] as const;

/** Kinds whose check can rewrite the matched text instead of refusing the request. */
const redactingKinds: ReadonlySet<GuardrailKind> = new Set(["pii", "regex", "keywords"]);

/** A pattern must compile: a broken one would fail every request it is run on. */
const compilingPatternSchema = z
  .string()
  .min(1, "Enter a pattern")
  .max(500, "At most 500 characters")
  .superRefine((pattern, ctx) => {
    try {
      new RegExp(pattern, "u");
    } catch (e) {
      ctx.addIssue({ code: "custom", message: `Does not compile: ${(e as Error).message}` });
    }
  });

export const piiConfigSchema = z.object({
  entities: z
    .array(z.enum(piiEntityTypes))
    .min(1, "Choose at least one kind of personal data")
    .transform((xs) => [...new Set(xs)]),
  action: z.enum(["redact", "block"]),
});

export const regexConfigSchema = z.object({
  patterns: z.array(compilingPatternSchema).min(1, "Add at least one pattern").max(50, "At most 50 patterns"),
  caseInsensitive: z.boolean().default(false),
});

export const keywordsConfigSchema = z.object({
  keywords: z
    .array(z.string().trim().min(1).max(200))
    .min(1, "Add at least one keyword")
    .max(1000, "At most 1,000 keywords")
    .transform((xs) => [...new Set(xs)]),
  caseSensitive: z.boolean().default(false),
});

export const promptInjectionConfigSchema = z.object({
  sensitivity: z.enum(["low", "medium", "high"]),
});

export const webhookConfigSchema = z.object({
  url: z
    .url({ protocol: /^https$/, error: "Enter an https:// URL" })
    .max(2000),
  timeoutMs: z.number({ error: "Enter a timeout in milliseconds" }).int().min(50, "At least 50 ms").max(30_000, "At most 30,000 ms"),
  /** Sent as `Authorization` to the webhook, resolved by the gateway; never stored in clear. */
  authRef: secretRefSchema.optional(),
});

export const guardrailConfigSchemas = {
  pii: piiConfigSchema,
  regex: regexConfigSchema,
  keywords: keywordsConfigSchema,
  "prompt-injection": promptInjectionConfigSchema,
  webhook: webhookConfigSchema,
} as const satisfies Record<GuardrailKind, z.ZodType>;

export const guardrailScopeTypes = ["global", "customer", "team", "virtual_key", "provider_key", "tenant"] as const;
export type GuardrailScopeType = (typeof guardrailScopeTypes)[number];

const policyFields = {
  name: nameSchema,
  mode: z.enum(["block", "redact", "log"]).default("block"),
  stage: z.enum(["input", "output"]).default("input"),
  /** When the check itself fails or times out: let the request through (true) or refuse it. */
  failOpen: z.boolean().default(false),
  scopeType: z.enum(guardrailScopeTypes).default("global"),
  scopeId: z.string().trim().max(128).default(""),
  priority: z.number().int().min(0).max(10_000).default(100),
  enabled: z.boolean().default(true),
};

type PolicyShape = { kind: GuardrailKind; config: unknown; mode: string; scopeType: GuardrailScopeType; scopeId: string };

/** Rules across fields: the scope id fits its type, redaction only where the check can redact, PII's action agrees with the mode. */
function crossFieldIssues(p: PolicyShape, ctx: z.RefinementCtx) {
  if (p.scopeType === "global" && p.scopeId !== "") ctx.addIssue({ code: "custom", path: ["scopeId"], message: "A global policy names no scope" });
  if (p.scopeType !== "global" && p.scopeId === "") ctx.addIssue({ code: "custom", path: ["scopeId"], message: "Choose what the policy applies to" });
  if (p.mode === "redact" && !redactingKinds.has(p.kind)) ctx.addIssue({ code: "custom", path: ["mode"], message: `A ${p.kind} check cannot redact: use block or log` });
  if (p.kind === "pii") {
    const action = (p.config as z.infer<typeof piiConfigSchema>).action;
    if (p.mode !== "log" && p.mode !== action) ctx.addIssue({ code: "custom", path: ["mode"], message: `The mode must be ${action} (the PII action) or log` });
  }
}

/** A whole policy: the check (kind with its config) and where and how it applies. */
export const guardrailPolicySchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("pii"), config: piiConfigSchema, ...policyFields }),
    z.object({ kind: z.literal("regex"), config: regexConfigSchema, ...policyFields }),
    z.object({ kind: z.literal("keywords"), config: keywordsConfigSchema, ...policyFields }),
    z.object({ kind: z.literal("prompt-injection"), config: promptInjectionConfigSchema, ...policyFields }),
    z.object({ kind: z.literal("webhook"), config: webhookConfigSchema, ...policyFields }),
  ])
  .superRefine((p, ctx) => crossFieldIssues(p, ctx));
export type GuardrailPolicyInput = z.output<typeof guardrailPolicySchema>;

/**
 * An update names the fields it changes; the merged row is validated again as a whole
 * (guardrailPolicySchema), so a new kind needs its config and cross-field rules still hold.
 */
export const updateGuardrailSchema = z.object({
  id: idSchema,
  kind: z.enum(guardrailKinds).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  name: policyFields.name.optional(),
  mode: z.enum(["block", "redact", "log"]).optional(),
  stage: z.enum(["input", "output"]).optional(),
  failOpen: z.boolean().optional(),
  scopeType: z.enum(guardrailScopeTypes).optional(),
  scopeId: z.string().trim().max(128).optional(),
  priority: z.number().int().min(0).max(10_000).optional(),
  enabled: z.boolean().optional(),
});
export type UpdateGuardrailInput = z.output<typeof updateGuardrailSchema>;
