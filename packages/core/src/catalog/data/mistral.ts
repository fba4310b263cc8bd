import type { ModelEntry } from "../schema";

const source = "https://mistral.ai/pricing";
const asOf = "2026-11-29";
const noCache = "Mistral publishes no cached-input price.";

/** Mistral La Plateforme. The `-latest` aliases move; the pinned ids are best knowledge. */
export const mistralModels: readonly ModelEntry[] = [
  {
    provider: "mistral", model: "mistral-large-latest", aliases: ["mistral-large-2512"], mode: "chat",
    contextWindow: 256_000, maxOutputTokens: 32_768,
    price: { input: 0.5, output: 1.5, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://aipromptshub.co/calc/mistral-large-2-cost"],
    notes: `Mistral Large 3: input price seen in search, output and limits are best knowledge. ${noCache}`,
  },
  {
    provider: "mistral", model: "mistral-medium-latest", aliases: ["mistral-medium-2508"], mode: "chat",
    contextWindow: 128_000, maxOutputTokens: 32_768,
    price: { input: 0.4, output: 2, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: `Best knowledge. ${noCache}`,
  },
  {
    provider: "mistral", model: "mistral-small-latest", aliases: ["mistral-small-2506"], mode: "chat",
    contextWindow: 128_000, maxOutputTokens: 32_768,
    price: { input: 0.1, output: 0.3, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: `Best knowledge. ${noCache}`,
  },
  {
    provider: "mistral", model: "codestral-latest", aliases: ["codestral-2508"], mode: "chat",
    contextWindow: 256_000, maxOutputTokens: 32_768,
    price: { input: 0.3, output: 0.9, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: `Best knowledge. ${noCache}`,
  },
  {
    provider: "mistral", model: "mistral-embed", mode: "embedding", contextWindow: 8_192, maxOutputTokens: null,
    price: { input: 0.1, output: null, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: "Best knowledge.",
  },
];
