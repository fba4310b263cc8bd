import type { ModelEntry } from "../schema";

const source = "https://developers.openai.com/api/docs/pricing";
const asOf = "2026-11-29";
const modelsPage = "https://developers.openai.com/docs/models";
const copilotTable = "https://raw.githubusercontent.com/github/docs/main/data/tables/copilot/models-and-pricing.yml";
const hexTable = "https://hex.pm/packages/openai_responses/0.4.1/files/lib/responses/pricing.ex";

/** OpenAI list prices, Standard processing tier. OpenAI charges nothing extra to write its cache. */
export const openaiModels: readonly ModelEntry[] = [
  {
    provider: "openai", model: "gpt-5.5", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: {
      input: 5, output: 30, cachedRead: 0.5, cachedWrite: null,
      tiers: [{ aboveInputTokens: 272_000, input: 10, output: 45, cachedRead: 1, cachedWrite: null }],
    },
    source, asOf, verified: true, evidence: [modelsPage, copilotTable],
  },
  {
    provider: "openai", model: "gpt-5.4", mode: "chat", contextWindow: 1_050_000, maxOutputTokens: 128_000,
    price: {
      input: 2.5, output: 15, cachedRead: 0.25, cachedWrite: null,
      tiers: [{ aboveInputTokens: 272_000, input: 5, output: 22.5, cachedRead: 0.5, cachedWrite: null }],
    },
    source, asOf, verified: true, evidence: [modelsPage, copilotTable],
  },
  {
    provider: "openai", model: "gpt-5.4-mini", mode: "chat", contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 0.75, output: 4.5, cachedRead: 0.075, cachedWrite: null },
    source, asOf, verified: true, evidence: [modelsPage, copilotTable],
  },
  {
    provider: "openai", model: "gpt-5.4-nano", mode: "chat", contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 0.2, output: 1.25, cachedRead: 0.02, cachedWrite: null },
    source, asOf, verified: true, evidence: [copilotTable],
    notes: "Context window and output limit not confirmed by search; assumed equal to gpt-5.4-mini.",
  },
  {
    provider: "openai", model: "gpt-5.2", aliases: ["gpt-5.2-chat-latest"], mode: "chat",
    contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 1.75, output: 14, cachedRead: 0.175, cachedWrite: null },
    source, asOf, verified: true,
    evidence: [copilotTable, "https://nicolalazzari.ai/articles/openai-api-pricing-explained-2026"],
  },
  {
    provider: "openai", model: "gpt-5.1", aliases: ["gpt-5.1-chat-latest"], mode: "chat",
    contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 1.25, output: 10, cachedRead: 0.125, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://deploybase.ai/articles/openai-api-pricing-2026"],
    notes: "Input and output seen in search; cached input assumed at the GPT-5 family's 10%.",
  },
  {
    provider: "openai", model: "gpt-5", aliases: ["gpt-5-chat-latest"], mode: "chat",
    contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 1.25, output: 10, cachedRead: 0.125, cachedWrite: null },
    source, asOf, verified: true,
    evidence: ["https://developers.openai.com/api/docs/models/gpt-5-codex", "https://docs.rs/crate/openai-cost/latest/source/src/pricing.rs"],
  },
  {
    provider: "openai", model: "gpt-5-mini", mode: "chat", contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 0.25, output: 2, cachedRead: 0.025, cachedWrite: null },
    source, asOf, verified: true, evidence: [copilotTable],
  },
  {
    provider: "openai", model: "gpt-5-nano", mode: "chat", contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 0.05, output: 0.4, cachedRead: 0.005, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://explore.oreate.ai/posts/breaking-down-gpt5nano-pricing-and-api-costs"],
  },
  {
    provider: "openai", model: "gpt-4.1", mode: "chat", contextWindow: 1_047_576, maxOutputTokens: 32_768,
    price: { input: 2, output: 8, cachedRead: 0.5, cachedWrite: null },
    source, asOf, verified: true, evidence: [hexTable, "https://chatai.guide/models/gpt-4-1/"],
  },
  {
    provider: "openai", model: "gpt-4.1-mini", mode: "chat", contextWindow: 1_047_576, maxOutputTokens: 32_768,
    price: { input: 0.4, output: 1.6, cachedRead: 0.1, cachedWrite: null },
    source, asOf, verified: true, evidence: [hexTable],
  },
  {
    provider: "openai", model: "gpt-4.1-nano", mode: "chat", contextWindow: 1_047_576, maxOutputTokens: 32_768,
    price: { input: 0.1, output: 0.4, cachedRead: 0.025, cachedWrite: null },
    source, asOf, verified: true, evidence: [hexTable],
  },
  {
    provider: "openai", model: "gpt-4o", mode: "chat", contextWindow: 128_000, maxOutputTokens: 16_384,
    price: { input: 2.5, output: 10, cachedRead: 1.25, cachedWrite: null },
    source, asOf, verified: true, evidence: [hexTable],
    notes: "The 2024-05-13 snapshot was priced higher ($5/$15); pin it with an override if you still use it.",
  },
  {
    provider: "openai", model: "gpt-4o-mini", mode: "chat", contextWindow: 128_000, maxOutputTokens: 16_384,
    price: { input: 0.15, output: 0.6, cachedRead: 0.075, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://docs.rs/crate/openai-models/0.1.1/source/src/lib.rs"],
  },
  {
    provider: "openai", model: "o3", mode: "chat", contextWindow: 200_000, maxOutputTokens: 100_000,
    price: { input: 2, output: 8, cachedRead: 0.5, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://www.calcis.dev/models/o3"],
  },
  {
    provider: "openai", model: "o3-pro", mode: "chat", contextWindow: 200_000, maxOutputTokens: 100_000,
    price: { input: 20, output: 80, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false,
    notes: "Not confirmed by search (one secondary page disagreed); best knowledge.",
  },
  {
    provider: "openai", model: "o4-mini", mode: "chat", contextWindow: 200_000, maxOutputTokens: 100_000,
    price: { input: 1.1, output: 4.4, cachedRead: 0.275, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://github.com/RooCodeInc/Roo-Code/pull/2691.patch"],
  },
  {
    provider: "openai", model: "o3-mini", mode: "chat", contextWindow: 200_000, maxOutputTokens: 100_000,
    price: { input: 1.1, output: 4.4, cachedRead: 0.55, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://llmcalc.app/models/o3-mini"],
    notes: "Removed from OpenAI's public price list in 2026; last published rates.",
  },
  {
    provider: "openai", model: "o1", mode: "chat", contextWindow: 200_000, maxOutputTokens: 100_000,
    price: { input: 15, output: 60, cachedRead: 7.5, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://docs.rs/crate/openai-models/0.1.1/source/src/lib.rs"],
  },
  {
    provider: "openai", model: "text-embedding-3-small", mode: "embedding", contextWindow: 8_191, maxOutputTokens: null,
    price: { input: 0.02, output: null, cachedRead: null, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://docs.praison.ai/docs/embeddings/providers/openai"],
  },
  {
    provider: "openai", model: "text-embedding-3-large", mode: "embedding", contextWindow: 8_191, maxOutputTokens: null,
    price: { input: 0.13, output: null, cachedRead: null, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://docs.praison.ai/docs/embeddings/providers/openai"],
  },
];
