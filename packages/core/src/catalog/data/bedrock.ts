import type { ModelEntry } from "../schema";

const source = "https://aws.amazon.com/bedrock/pricing/";
const asOf = "2026-11-29";
const claudeOnBedrock = "https://clauder-navi.com/en/bedrock-claude-cost/";
const regionalPremiumNote = "Global-profile price; in-region and geographic profiles cost 10% more.";
const novaNote = "Nova cache writes are not charged separately.";

/**
 * Amazon Bedrock on-demand prices (us-east-1). Ids are the foundation-model ids; the
 * lookup strips inference-profile prefixes (us., eu., apac., global., ...).
 */
export const bedrockModels: readonly ModelEntry[] = [
  {
    provider: "bedrock", model: "anthropic.claude-opus-4-6-v1", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 128_000,
    price: { input: 5, output: 25, cachedRead: 0.5, cachedWrite: 6.25 }, regionalPremium: 0.1,
    source, asOf, verified: true, evidence: [claudeOnBedrock, "https://sam.mehdi.consulting/posts/saving-money-on-bedrock-is-hard/"],
    notes: regionalPremiumNote,
  },
  {
    provider: "bedrock", model: "anthropic.claude-sonnet-4-6", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 64_000,
    price: { input: 3, output: 15, cachedRead: 0.3, cachedWrite: 3.75 }, regionalPremium: 0.1,
    source, asOf, verified: true, evidence: [claudeOnBedrock], notes: regionalPremiumNote,
  },
  {
    provider: "bedrock", model: "anthropic.claude-opus-4-5-20251101-v1:0", mode: "chat", contextWindow: 200_000, maxOutputTokens: 64_000,
    price: { input: 5, output: 25, cachedRead: 0.5, cachedWrite: 6.25 }, regionalPremium: 0.1,
    source, asOf, verified: true, evidence: [claudeOnBedrock], notes: regionalPremiumNote,
  },
  {
    provider: "bedrock", model: "anthropic.claude-sonnet-4-5-20250929-v1:0", mode: "chat", contextWindow: 200_000, maxOutputTokens: 64_000,
    price: { input: 3, output: 15, cachedRead: 0.3, cachedWrite: 3.75 }, regionalPremium: 0.1,
    source, asOf, verified: true, evidence: [claudeOnBedrock], notes: regionalPremiumNote,
  },
  {
    provider: "bedrock", model: "anthropic.claude-haiku-4-5-20251001-v1:0", mode: "chat", contextWindow: 200_000, maxOutputTokens: 64_000,
    price: { input: 1, output: 5, cachedRead: 0.1, cachedWrite: 1.25 }, regionalPremium: 0.1,
    source, asOf, verified: true, evidence: [claudeOnBedrock], notes: regionalPremiumNote,
  },
  {
    provider: "bedrock", model: "anthropic.claude-opus-4-1-20250805-v1:0", mode: "chat", contextWindow: 200_000, maxOutputTokens: 32_000,
    price: { input: 15, output: 75, cachedRead: 1.5, cachedWrite: 18.75 },
    source, asOf, verified: true, evidence: ["https://platform.claude.com/docs/en/about-claude/pricing"],
    notes: "Priced as on the Claude API, which Bedrock matches for Claude.",
  },
  {
    provider: "bedrock", model: "anthropic.claude-sonnet-4-20250514-v1:0", mode: "chat", contextWindow: 200_000, maxOutputTokens: 64_000,
    price: { input: 3, output: 15, cachedRead: 0.3, cachedWrite: 3.75 },
    source, asOf, verified: true, evidence: ["https://docs.anthropic.com/en/docs/about-claude/pricing"],
    notes: "Retired on the Claude API in June 2026; whether Bedrock still serves it was not confirmed.",
  },
  {
    provider: "bedrock", model: "anthropic.claude-3-haiku-20240307-v1:0", mode: "chat", contextWindow: 200_000, maxOutputTokens: 4_096,
    price: { input: 0.25, output: 1.25, cachedRead: null, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://inventivehq.com/blog/aws-bedrock-pricing-guide"],
  },
  {
    provider: "bedrock", model: "amazon.nova-premier-v1:0", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 32_000,
    price: { input: 2.5, output: 12.5, cachedRead: 0.625, cachedWrite: null },
    source, asOf, verified: false, notes: `Best knowledge. ${novaNote}`,
  },
  {
    provider: "bedrock", model: "amazon.nova-pro-v1:0", mode: "chat", contextWindow: 300_000, maxOutputTokens: 10_000,
    price: { input: 0.8, output: 3.2, cachedRead: 0.2, cachedWrite: null },
    source, asOf, verified: true,
    evidence: ["https://www.swfte.com/de/blog/amazon-nova-pro-pricing", "https://pristren.com/blog/amazon-nova-micro-ultra-fast"],
    notes: novaNote,
  },
  {
    provider: "bedrock", model: "amazon.nova-lite-v1:0", mode: "chat", contextWindow: 300_000, maxOutputTokens: 10_000,
    price: { input: 0.06, output: 0.24, cachedRead: 0.015, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://pristren.com/blog/amazon-nova-micro-ultra-fast"],
    notes: `Input/output seen in search; cached read (75% off) is best knowledge. ${novaNote}`,
  },
  {
    provider: "bedrock", model: "amazon.nova-micro-v1:0", mode: "chat", contextWindow: 128_000, maxOutputTokens: 10_000,
    price: { input: 0.035, output: 0.14, cachedRead: 0.00875, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://pristren.com/blog/amazon-nova-micro-ultra-fast"],
    notes: `Input/output seen in search; cached read (75% off) is best knowledge. ${novaNote}`,
  },
  {
    provider: "bedrock", model: "meta.llama3-3-70b-instruct-v1:0", mode: "chat", contextWindow: 128_000, maxOutputTokens: 8_192,
    price: { input: 0.72, output: 0.72, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: "Best knowledge; search returned conflicting third-party figures.",
  },
  {
    provider: "bedrock", model: "meta.llama4-maverick-17b-instruct-v1:0", mode: "chat", contextWindow: 1_000_000, maxOutputTokens: 8_192,
    price: { input: 0.24, output: 0.97, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://docs.aws.eu/bedrock/latest/userguide/model-card-meta-llama-4-maverick-17b-instruct.html"],
    notes: "Limits from the AWS model card; price is best knowledge.",
  },
  {
    provider: "bedrock", model: "meta.llama4-scout-17b-instruct-v1:0", mode: "chat", contextWindow: 3_500_000, maxOutputTokens: 8_192,
    price: { input: 0.17, output: 0.66, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: "Best knowledge.",
  },
  {
    provider: "bedrock", model: "mistral.mistral-large-2407-v1:0", mode: "chat", contextWindow: 128_000, maxOutputTokens: 8_192,
    price: { input: 2, output: 6, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: "Best knowledge.",
  },
  {
    provider: "bedrock", model: "mistral.pixtral-large-2502-v1:0", mode: "chat", contextWindow: 128_000, maxOutputTokens: 16_384,
    price: { input: 2, output: 6, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, evidence: ["https://docs.aws.eu/bedrock/latest/userguide/model-card-mistral-ai-pixtral-large.html"],
    notes: "Limits from the AWS model card; price is best knowledge.",
  },
  {
    provider: "bedrock", model: "amazon.titan-embed-text-v2:0", mode: "embedding", contextWindow: 8_192, maxOutputTokens: null,
    price: { input: 0.02, output: null, cachedRead: null, cachedWrite: null },
    source, asOf, verified: true, evidence: ["https://inventivehq.com/blog/aws-bedrock-pricing-guide"],
  },
];
