import { z } from "zod";
import { catalogProviders } from "./provider-ids";

/**
 * Every price in the catalog is USD per 1M tokens, as providers publish them. That is
 * numerically the same as micro-USD per token, which is what the cost math uses.
 * `null` means the provider has no such price (no cache discount, no separate cache-write
 * charge, no output for embeddings); the cost math then falls back to the input price
 * (or to zero for output).
 */
const usdPerMillion = z.number().finite().nonnegative();

export const tokenRatesSchema = z.object({
  input: usdPerMillion,
  output: usdPerMillion.nullable(),
  /** Prompt tokens served from the provider's cache. */
  cachedRead: usdPerMillion.nullable(),
  /** Prompt tokens written to the cache (Anthropic 5-minute TTL is 1.25x input). */
  cachedWrite: usdPerMillion.nullable(),
});
export type TokenRates = z.infer<typeof tokenRatesSchema>;

/**
 * Long-context pricing: when a request's prompt (input + cache read + cache write)
 * exceeds `aboveInputTokens`, every token of that request, output included, is billed
 * at these rates (Gemini 2.5 Pro above 200k, GPT-5.4 above 272k, Claude Haiku 5.5
 * above 100k).
 */
export const priceTierSchema = tokenRatesSchema.extend({
  aboveInputTokens: z.number().int().positive(),
});
export type PriceTier = z.infer<typeof priceTierSchema>;

function cacheReadWithinInput(rates: TokenRates): boolean {
  return rates.cachedRead === null || rates.cachedRead <= rates.input;
}

export const modelPriceSchema = tokenRatesSchema
  .extend({ tiers: z.array(priceTierSchema).optional() })
  .superRefine((price, ctx) => {
    if (!cacheReadWithinInput(price)) {
      ctx.addIssue({ code: "custom", message: "cachedRead must not exceed input", path: ["cachedRead"] });
    }
    const tiers = price.tiers ?? [];
    tiers.forEach((tier, i) => {
      if (!cacheReadWithinInput(tier)) {
        ctx.addIssue({ code: "custom", message: "cachedRead must not exceed input", path: ["tiers", i, "cachedRead"] });
      }
      const previous = tiers[i - 1];
      if (previous && previous.aboveInputTokens >= tier.aboveInputTokens) {
        ctx.addIssue({ code: "custom", message: "tiers must ascend by aboveInputTokens", path: ["tiers", i] });
      }
    });
  });
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export const catalogProviderSchema = z.enum(catalogProviders);

export const modelEntrySchema = z
  .object({
    provider: catalogProviderSchema,
    /** The id the provider's API accepts (Bedrock model id, Fireworks account path...). */
    model: z.string().min(1),
    /** Other ids the same API accepts for this model (undated aliases, short names). */
    aliases: z.array(z.string().min(1)).optional(),
    mode: z.enum(["chat", "embedding"]),
    contextWindow: z.number().int().positive(),
    /** Largest completion the model allows; null for embeddings. */
    maxOutputTokens: z.number().int().positive().nullable(),
    price: modelPriceSchema,
    /**
     * Bedrock only: fraction added for in-region and geographic (us., eu., ...) inference
     * profiles, which AWS prices above the global profile for Claude 4.5 and later.
     */
    regionalPremium: z.number().positive().max(1).optional(),
    /** The provider's published pricing page. */
    source: z.url(),
    /** Date the price was checked (or the date the source shows). */
    asOf: z.iso.date(),
    /** True only when every non-null price above was seen in a search result. */
    verified: z.boolean(),
    /** Pages the price was actually read from, when not the provider's own page. */
    evidence: z.array(z.url()).optional(),
    notes: z.string().optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.mode === "chat" && entry.maxOutputTokens === null) {
      ctx.addIssue({ code: "custom", message: "chat models need maxOutputTokens", path: ["maxOutputTokens"] });
    }
  });
export type ModelEntry = z.infer<typeof modelEntrySchema>;

/**
 * A per-install price, e.g. a negotiated discount or a self-hosted model's internal
 * cost. The newest override whose `effectiveFrom` is not after the request time wins.
 */
export const priceOverrideSchema = z.object({
  provider: catalogProviderSchema,
  model: z.string().min(1),
  price: modelPriceSchema,
  effectiveFrom: z.coerce.date(),
});
export type PriceOverride = z.infer<typeof priceOverrideSchema>;
