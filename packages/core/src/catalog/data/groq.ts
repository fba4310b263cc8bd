import type { ModelEntry } from "../schema";

const source = "https://groq.com/pricing";
const asOf = "2026-11-29";
const bestKnowledge = "Best knowledge; not confirmed by search.";

/** GroqCloud on-demand prices. */
export const groqModels: readonly ModelEntry[] = [
  {
    provider: "groq", model: "openai/gpt-oss-120b", mode: "chat", contextWindow: 131_072, maxOutputTokens: 65_536,
    price: { input: 0.15, output: 0.6, cachedRead: 0.075, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://tokenmix.ai/blog/groq-api-access-2026-free-tier-rate-limits"],
  },
  {
    provider: "groq", model: "openai/gpt-oss-20b", mode: "chat", contextWindow: 131_072, maxOutputTokens: 65_536,
    price: { input: 0.075, output: 0.3, cachedRead: 0.0375, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "groq", model: "llama-3.3-70b-versatile", mode: "chat", contextWindow: 131_072, maxOutputTokens: 32_768,
    price: { input: 0.59, output: 0.79, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "groq", model: "llama-3.1-8b-instant", mode: "chat", contextWindow: 131_072, maxOutputTokens: 131_072,
    price: { input: 0.05, output: 0.08, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "groq", model: "meta-llama/llama-4-maverick-17b-128e-instruct", mode: "chat", contextWindow: 131_072, maxOutputTokens: 8_192,
    price: { input: 0.2, output: 0.6, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "groq", model: "meta-llama/llama-4-scout-17b-16e-instruct", mode: "chat", contextWindow: 131_072, maxOutputTokens: 8_192,
    price: { input: 0.11, output: 0.34, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "groq", model: "qwen/qwen3-32b", mode: "chat", contextWindow: 131_072, maxOutputTokens: 40_960,
    price: { input: 0.29, output: 0.59, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "groq", model: "moonshotai/kimi-k2-instruct-0905", mode: "chat", contextWindow: 262_144, maxOutputTokens: 16_384,
    price: { input: 1, output: 3, cachedRead: 0.5, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
];
