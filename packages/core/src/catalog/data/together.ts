import type { ModelEntry } from "../schema";

const source = "https://www.together.ai/pricing";
const asOf = "2026-11-29";
const bestKnowledge = "Best knowledge; not confirmed by search. Together publishes no cached-input price for these.";

/** Together AI serverless inference. */
export const togetherModels: readonly ModelEntry[] = [
  {
    provider: "together", model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", mode: "chat", contextWindow: 131_072, maxOutputTokens: 131_072,
    price: { input: 0.88, output: 0.88, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://tokenmix.ai/blog/aws-bedrock-pricing?lang=zh"],
    notes: "Input price seen in search; output assumed equal (Together prices this model flat).",
  },
  {
    provider: "together", model: "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 131_072,
    price: { input: 0.27, output: 0.85, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "together", model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", mode: "chat", contextWindow: 131_072, maxOutputTokens: 131_072,
    price: { input: 0.18, output: 0.18, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "together", model: "deepseek-ai/DeepSeek-V3", mode: "chat", contextWindow: 131_072, maxOutputTokens: 131_072,
    price: { input: 1.25, output: 1.25, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "together", model: "openai/gpt-oss-120b", mode: "chat", contextWindow: 131_072, maxOutputTokens: 131_072,
    price: { input: 0.15, output: 0.6, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
  {
    provider: "together", model: "Qwen/Qwen3-235B-A22B-Instruct-2507-tput", mode: "chat", contextWindow: 262_144, maxOutputTokens: 262_144,
    price: { input: 0.2, output: 0.6, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: bestKnowledge,
  },
];
