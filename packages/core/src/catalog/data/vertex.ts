import type { ModelEntry } from "../schema";

const source = "https://cloud.google.com/vertex-ai/generative-ai/pricing";
const asOf = "2026-11-29";
const geminiNote = "Vertex list price assumed equal to the Gemini API's; not confirmed by search.";
const claudeNote = "Global-endpoint price; Vertex regional endpoints cost about 10% more for Claude 4.5 and later (set an override).";

/**
 * Vertex AI (Google Cloud). Claude on Vertex uses `@date` version suffixes, which the
 * lookup strips. Prices are for the global endpoint.
 */
export const vertexModels: readonly ModelEntry[] = [
  {
    provider: "vertex", model: "gemini-2.5-pro", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 65_536,
    price: {
      input: 1.25, output: 10, cachedRead: 0.125, cachedWrite: null,
      tiers: [{ aboveInputTokens: 200_000, input: 2.5, output: 15, cachedRead: 0.25, cachedWrite: null }],
    },
    source, asOf, verified: false, notes: geminiNote,
  },
  {
    provider: "vertex", model: "gemini-2.5-flash", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 65_536,
    price: { input: 0.3, output: 2.5, cachedRead: 0.03, cachedWrite: null },
    source, asOf, verified: false, notes: geminiNote,
  },
  {
    provider: "vertex", model: "gemini-2.5-flash-lite", mode: "chat", contextWindow: 1_048_576, maxOutputTokens: 65_536,
    price: { input: 0.1, output: 0.4, cachedRead: 0.01, cachedWrite: null },
    source, asOf, verified: false, notes: geminiNote,
  },
  {
    provider: "vertex", model: "gemini-embedding-001", mode: "embedding", contextWindow: 2_048, maxOutputTokens: null,
    price: { input: 0.15, output: null, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: geminiNote,
  },
  {
    provider: "vertex", model: "claude-opus-4-6", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 5, output: 25, cachedRead: 0.5, cachedWrite: 6.25 },
    source, asOf, verified: false, evidence: ["https://learn-ai.blindshot.kz/docs/anthropic/platform/about-claude/models/overview/"],
    notes: `Model id seen in search; price assumed equal to the Claude API's. ${claudeNote}`,
  },
  {
    provider: "vertex", model: "claude-sonnet-4-6", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 64_000,
    price: { input: 3, output: 15, cachedRead: 0.3, cachedWrite: 3.75 },
    source, asOf, verified: false, notes: `Price assumed equal to the Claude API's. ${claudeNote}`,
  },
  {
    provider: "vertex", model: "claude-sonnet-4-5@20250929", aliases: ["claude-sonnet-4-5"], mode: "chat",
    contextWindow: 200_000, maxOutputTokens: 64_000,
    price: { input: 3, output: 15, cachedRead: 0.3, cachedWrite: 3.75 },
    source, asOf, verified: false, notes: `Price assumed equal to the Claude API's. ${claudeNote}`,
  },
  {
    provider: "vertex", model: "claude-haiku-4-5@20251001", aliases: ["claude-haiku-4-5"], mode: "chat",
    contextWindow: 200_000, maxOutputTokens: 64_000,
    price: { input: 1, output: 5, cachedRead: 0.1, cachedWrite: 1.25 },
    source, asOf, verified: false, evidence: ["https://learn-ai.blindshot.kz/docs/anthropic/platform/about-claude/models/overview/"],
    notes: `Model id seen in search; price assumed equal to the Claude API's. ${claudeNote}`,
  },
  {
    provider: "vertex", model: "claude-opus-4-1@20250805", aliases: ["claude-opus-4-1"], mode: "chat",
    contextWindow: 200_000, maxOutputTokens: 32_000,
    price: { input: 15, output: 75, cachedRead: 1.5, cachedWrite: 18.75 },
    source, asOf, verified: false,
    notes: "Anthropic's pricing page lists Opus 4.1 as still served on Google Cloud; Vertex price assumed equal.",
  },
];
