import type { ModelEntry } from "../schema";

const source = "https://fireworks.ai/pricing";
const asOf = "2026-11-29";
const cacheDocs = "https://docs.fireworks.ai/serverless/overview";
const bestKnowledge = "Best knowledge; cached input at Fireworks' documented default of 50% of input.";

/**
 * Fireworks serverless. Ids are account paths; the short name is kept as an alias.
 * Fireworks bills cached prompt tokens at 50% of input unless a model lists otherwise.
 */
export const fireworksModels: readonly ModelEntry[] = [
  {
    provider: "fireworks", model: "accounts/fireworks/models/llama-v3p3-70b-instruct", aliases: ["llama-v3p3-70b-instruct"],
    mode: "chat", contextWindow: 131_072, maxOutputTokens: 16_384,
    price: { input: 0.9, output: 0.9, cachedRead: 0.45, cachedWrite: null },
    source, asOf, verified: true, evidence: [source, cacheDocs],
    notes: "Priced by the 16.1B-80B parameter band.",
  },
  {
    provider: "fireworks", model: "accounts/fireworks/models/llama-v3p1-8b-instruct", aliases: ["llama-v3p1-8b-instruct"],
    mode: "chat", contextWindow: 131_072, maxOutputTokens: 16_384,
    price: { input: 0.2, output: 0.2, cachedRead: 0.1, cachedWrite: null },
    source, asOf, verified: true, evidence: [source, cacheDocs],
    notes: "Priced by the up-to-16B parameter band.",
  },
  {
    provider: "fireworks", model: "accounts/fireworks/models/gpt-oss-120b", aliases: ["gpt-oss-120b"],
    mode: "chat", contextWindow: 131_072, maxOutputTokens: 32_768,
    price: { input: 0.15, output: 0.6, cachedRead: 0.075, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "fireworks", model: "accounts/fireworks/models/deepseek-v3p1", aliases: ["deepseek-v3p1"],
    mode: "chat", contextWindow: 163_840, maxOutputTokens: 32_768,
    price: { input: 0.56, output: 1.68, cachedRead: 0.28, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "fireworks", model: "accounts/fireworks/models/kimi-k2-instruct-0905", aliases: ["kimi-k2-instruct-0905"],
    mode: "chat", contextWindow: 262_144, maxOutputTokens: 32_768,
    price: { input: 0.6, output: 2.5, cachedRead: 0.3, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
];
