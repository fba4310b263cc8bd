import type { ModelEntry } from "../schema";

const source = "https://api-docs.deepseek.com/quick_start/pricing";
const asOf = "2026-10-27";
const peakNote =
  "DeepSeek bills peak (01:00-04:00 and 06:00-10:00 UTC, weekdays) at twice the off-peak rate; the catalog records the " +
  "peak rate so reservations and costs are an upper bound. Sources disagreed across 2026 (V3.2, V4, V4.1), so unverified.";

/**
 * DeepSeek. A cache miss is billed at the input price and there is no separate
 * cache-write charge; usage reports prompt_cache_hit_tokens / prompt_cache_miss_tokens.
 */
export const deepseekModels: readonly ModelEntry[] = [
  {
    provider: "deepseek", model: "deepseek-v4-flash", aliases: ["deepseek-flash", "deepseek-chat", "deepseek-reasoner"],
    mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 384_000,
    price: { input: 0.3, output: 1.2, cachedRead: 0.006, cachedWrite: null },
    source, asOf, verified: false,
    evidence: ["https://github.com/benderandrew069/deepseek-api-pricing-2026/wiki", "https://github.com/VladoIvankovic/Codeep/releases/tag/v3.3.2"],
    notes: `deepseek-chat / deepseek-reasoner were mapped to V4 Flash and announced for retirement on 2026-07-24. ${peakNote}`,
  },
  {
    provider: "deepseek", model: "deepseek-v4-pro", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 384_000,
    price: { input: 1.32, output: 3.96, cachedRead: 0.044, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://github.com/benderandrew069/deepseek-api-pricing-2026/wiki"],
    notes: peakNote,
  },
];
