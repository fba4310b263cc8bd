import type { ModelEntry } from "../schema";

const source = "https://platform.claude.com/docs/en/about-claude/pricing";
const asOf = "2026-11-29";
const page = (slug: string) => `https://platform.claude.com/docs/en/models/${slug}/overview`;
const cacheCutNotes = [
  "https://github.com/kurofune/claudit/releases/tag/v1.9.2",
  "https://github.com/TheKrush/PromptFuel/releases/tag/v1.0.23",
];

/**
 * Claude API list prices. cachedWrite is the 5-minute TTL write (1.25x input); 1-hour
 * writes cost 2x input and are not modelled separately yet. Opus 4 / 4.1 and Sonnet 4
 * are retired on the Claude API and live only under bedrock / vertex.
 */
export const anthropicModels: readonly ModelEntry[] = [
  {
    provider: "anthropic", model: "claude-opus-5-5", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 4, output: 20, cachedRead: 0.2, cachedWrite: 5 },
    source, asOf, verified: true, evidence: ["https://platform.claude.com/docs/zh-CN/models/opus-5-5/overview"],
  },
  {
    provider: "anthropic", model: "claude-opus-5", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 5, output: 25, cachedRead: 0.5, cachedWrite: 6.25 },
    source, asOf, verified: true, evidence: [page("opus-5")],
  },
  {
    provider: "anthropic", model: "claude-sonnet-5-5", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 2, output: 10, cachedRead: 0.1, cachedWrite: 2.5 },
    source, asOf, verified: true,
    evidence: ["https://platform.claude.com/docs/zh-CN/models/sonnet-5-5/overview", ...cacheCutNotes],
    notes: "Cache reads cut from $0.20 to $0.10 on 2026-10-07 (per two independent release notes; the stored model page predates the cut).",
  },
  {
    provider: "anthropic", model: "claude-sonnet-5", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 2, output: 10, cachedRead: 0.2, cachedWrite: 2.5 },
    source, asOf, verified: true, evidence: ["https://platform.claude.com/docs/zh-CN/models/sonnet-5/overview"],
  },
  {
    provider: "anthropic", model: "claude-haiku-5-5", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: {
      input: 0.1, output: 0.5, cachedRead: 0.01, cachedWrite: 0.125,
      tiers: [{ aboveInputTokens: 100_000, input: 0.5, output: 2.5, cachedRead: 0.05, cachedWrite: 0.625 }],
    },
    source, asOf, verified: true, evidence: [page("haiku-5-5"), ...cacheCutNotes],
  },
  {
    provider: "anthropic", model: "claude-opus-4-8", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 5, output: 25, cachedRead: 0.5, cachedWrite: 6.25 },
    source, asOf, verified: true, evidence: ["https://platform.claude.com/docs/de/models/opus-4-8/overview.md"],
  },
  {
    provider: "anthropic", model: "claude-opus-4-7", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 5, output: 25, cachedRead: 0.5, cachedWrite: 6.25 },
    source, asOf, verified: true,
    notes: "Output limit not confirmed by search; assumed equal to Opus 4.6 / 4.8.",
  },
  {
    provider: "anthropic", model: "claude-opus-4-6", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 5, output: 25, cachedRead: 0.5, cachedWrite: 6.25 },
    source, asOf, verified: true, evidence: [page("opus-4-6")],
  },
  {
    provider: "anthropic", model: "claude-opus-4-5-20251101", aliases: ["claude-opus-4-5"], mode: "chat",
    contextWindow: 200_000, maxOutputTokens: 64_000,
    price: { input: 5, output: 25, cachedRead: 0.5, cachedWrite: 6.25 },
    source, asOf, verified: true,
  },
  {
    provider: "anthropic", model: "claude-sonnet-4-6", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 64_000,
    price: { input: 3, output: 15, cachedRead: 0.3, cachedWrite: 3.75 },
    source, asOf, verified: true,
    notes: "No long-context surcharge on 4.6 models; output limit 64k per one source, 128k per another.",
  },
  {
    provider: "anthropic", model: "claude-sonnet-4-5-20250929", aliases: ["claude-sonnet-4-5"], mode: "chat",
    contextWindow: 200_000, maxOutputTokens: 64_000,
    price: {
      input: 3, output: 15, cachedRead: 0.3, cachedWrite: 3.75,
      tiers: [{ aboveInputTokens: 200_000, input: 6, output: 22.5, cachedRead: 0.6, cachedWrite: 7.5 }],
    },
    source, asOf, verified: false, evidence: [page("sonnet-4-5")],
    notes: "Deprecated, retires 2026-11-30. The >200k tier applies with the 1M-context beta; its cache rates (2x) are best knowledge.",
  },
  {
    provider: "anthropic", model: "claude-haiku-4-5-20251001", aliases: ["claude-haiku-4-5"], mode: "chat",
    contextWindow: 200_000, maxOutputTokens: 64_000,
    price: { input: 1, output: 5, cachedRead: 0.1, cachedWrite: 1.25 },
    source, asOf, verified: true,
  },
  {
    provider: "anthropic", model: "claude-3-haiku-20240307", mode: "chat", contextWindow: 200_000, maxOutputTokens: 4_096,
    price: { input: 0.25, output: 1.25, cachedRead: 0.03, cachedWrite: 0.3 },
    source, asOf, verified: true, evidence: ["https://platform.claude.com/docs/zh-CN/about-claude/pricing"],
    notes: "Whether the Claude API still serves this model was not confirmed.",
  },
];
