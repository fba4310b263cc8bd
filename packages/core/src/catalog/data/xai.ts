import type { ModelEntry } from "../schema";

const source = "https://docs.x.ai/docs/models";
const asOf = "2026-11-29";
const copilotTable = "https://raw.githubusercontent.com/github/docs/main/data/tables/copilot/models-and-pricing.yml";
const fastPrice = {
  input: 0.2, output: 0.5, cachedRead: 0.05, cachedWrite: null,
  tiers: [{ aboveInputTokens: 128_000, input: 0.4, output: 1, cachedRead: 0.05, cachedWrite: null }],
};
const fastNote = "Input/output seen in search; cached input and the >128k tier are best knowledge.";

/** xAI API. xAI charges nothing extra to write its prompt cache. */
export const xaiModels: readonly ModelEntry[] = [
  {
    provider: "xai", model: "grok-4.5", mode: "chat", contextWindow: 256_000, maxOutputTokens: 64_000,
    price: {
      input: 2, output: 6, cachedRead: 0.5, cachedWrite: null,
      tiers: [{ aboveInputTokens: 200_000, input: 4, output: 12, cachedRead: 1, cachedWrite: null }],
    },
    source, asOf, verified: true, evidence: [copilotTable, "https://github.com/openmodelsrun/openmodels/releases/tag/v1.2.0"],
    notes: "Output limit is best knowledge.",
  },
  {
    provider: "xai", model: "grok-4.3", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 64_000,
    price: {
      input: 1.25, output: 2.5, cachedRead: 0.2, cachedWrite: null,
      tiers: [{ aboveInputTokens: 204_800, input: 2.5, output: 5, cachedRead: 0.4, cachedWrite: null }],
    },
    source, asOf, verified: false,
    evidence: ["https://github.com/mandark-droid/genai_otel_instrument/releases/tag/v1.2.2", "https://docs.apiyi.com/models/grok-4-3.md"],
    notes: "Base prices seen in search (one source a reseller); tier output and cache rates inferred.",
  },
  {
    provider: "xai", model: "grok-4", aliases: ["grok-4-0709", "grok-4-latest"], mode: "chat",
    contextWindow: 256_000, maxOutputTokens: 64_000,
    price: {
      input: 3, output: 15, cachedRead: 0.75, cachedWrite: null,
      tiers: [{ aboveInputTokens: 128_000, input: 6, output: 30, cachedRead: 0.75, cachedWrite: null }],
    },
    source, asOf, verified: false,
    evidence: ["https://skills.sh/adaptationio/skrillz/xai-models", "https://wavespeed.ai/zh-CN/llm/x-ai/grok-4"],
    notes: "Input/output and tier seen in search; cached input is best knowledge.",
  },
  {
    provider: "xai", model: "grok-4-fast-reasoning", aliases: ["grok-4-fast"], mode: "chat",
    contextWindow: 2_000_000, maxOutputTokens: 30_000, price: fastPrice,
    source, asOf, verified: false, evidence: ["https://wavespeed.ai/de/llm/x-ai/grok-4-fast"], notes: fastNote,
  },
  {
    provider: "xai", model: "grok-4-fast-non-reasoning", mode: "chat",
    contextWindow: 2_000_000, maxOutputTokens: 30_000, price: fastPrice,
    source, asOf, verified: false, evidence: ["https://wavespeed.ai/de/llm/x-ai/grok-4-fast"], notes: fastNote,
  },
  {
    provider: "xai", model: "grok-4-1-fast-reasoning", aliases: ["grok-4-1-fast"], mode: "chat",
    contextWindow: 2_000_000, maxOutputTokens: 30_000, price: fastPrice,
    source, asOf, verified: false, evidence: ["https://wavespeed.ai/zh-CN/llm/x-ai/grok-4.1-fast"], notes: fastNote,
  },
  {
    provider: "xai", model: "grok-4-1-fast-non-reasoning", mode: "chat",
    contextWindow: 2_000_000, maxOutputTokens: 30_000, price: fastPrice,
    source, asOf, verified: false, evidence: ["https://wavespeed.ai/zh-CN/llm/x-ai/grok-4.1-fast"], notes: fastNote,
  },
  {
    provider: "xai", model: "grok-code-fast-1", mode: "chat", contextWindow: 256_000, maxOutputTokens: 10_000,
    price: { input: 0.2, output: 1.5, cachedRead: 0.02, cachedWrite: null },
    source, asOf, verified: false, notes: "Best knowledge.",
  },
  {
    provider: "xai", model: "grok-3-mini", mode: "chat", contextWindow: 131_072, maxOutputTokens: 131_072,
    price: { input: 0.3, output: 0.5, cachedRead: 0.075, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://skills.sh/adaptationio/skrillz/xai-models"],
    notes: "Input/output seen in search; cached input is best knowledge.",
  },
];
