import type { ModelEntry } from "../schema";

const source = "https://ai.google.dev/gemini-api/docs/pricing";
const asOf = "2026-11-29";
const deploybase = "https://deploybase.ai/articles/gemini-api-pricing";
const copilotTable = "https://raw.githubusercontent.com/github/docs/main/data/tables/copilot/models-and-pricing.yml";
const morph = "https://www.morphllm.com/gemini-api-pricing";

/**
 * Gemini Developer API, paid tier, text/image/video input. cachedRead is the context
 * caching price; cache storage (per token-hour) is billed apart from requests and is
 * not modelled here. Creating an explicit cache is billed as normal input, so
 * cachedWrite is null.
 */
export const geminiModels: readonly ModelEntry[] = [
  {
    provider: "gemini", model: "gemini-3.1-pro-preview", aliases: ["gemini-3.1-pro"], mode: "chat",
    contextWindow: 1_048_576, maxOutputTokens: 65_536,
    price: {
      input: 2, output: 12, cachedRead: 0.2, cachedWrite: null,
      tiers: [{ aboveInputTokens: 200_000, input: 4, output: 18, cachedRead: 0.4, cachedWrite: null }],
    },
    source, asOf, verified: true, evidence: [copilotTable, morph],
    notes: "Preview model; the API id and limits are best knowledge.",
  },
  {
    provider: "gemini", model: "gemini-3.5-flash", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 65_536,
    price: { input: 1.5, output: 9, cachedRead: 0.15, cachedWrite: null },
    source, asOf, verified: true, evidence: [copilotTable, morph],
    notes: "Limits are best knowledge.",
  },
  {
    provider: "gemini", model: "gemini-2.5-pro", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 65_536,
    price: {
      input: 1.25, output: 10, cachedRead: 0.125, cachedWrite: null,
      tiers: [{ aboveInputTokens: 200_000, input: 2.5, output: 15, cachedRead: 0.25, cachedWrite: null }],
    },
    source, asOf, verified: true, evidence: [deploybase, "https://govindhtech.com/implicit-caching-is-supported-in-gemini-2-5-models/"],
  },
  {
    provider: "gemini", model: "gemini-2.5-flash", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 65_536,
    price: { input: 0.3, output: 2.5, cachedRead: 0.03, cachedWrite: null },
    source, asOf, verified: true, evidence: [deploybase],
  },
  {
    provider: "gemini", model: "gemini-2.5-flash-lite", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 65_536,
    price: { input: 0.1, output: 0.4, cachedRead: 0.01, cachedWrite: null },
    source, asOf, verified: false, evidence: [morph],
    notes: "Input/output seen in search; cached read is best knowledge.",
  },
  {
    provider: "gemini", model: "gemini-2.0-flash", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 8_192,
    price: { input: 0.1, output: 0.4, cachedRead: 0.025, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://modelpedia.dev/google/gemini-2.0-flash", morph],
    notes: "Deprecated; Google announced shutdown on 2026-06-01. Kept so historical logs still price.",
  },
  {
    provider: "gemini", model: "gemini-embedding-001", mode: "embedding", contextWindow: 2_048, maxOutputTokens: null,
    price: { input: 0.15, output: null, cachedRead: null, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://github.com/simonw/llm-gemini/issues/102"],
  },
];
