import type { ModelEntry } from "../schema";

const source = "https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/";
const asOf = "2026-11-29";
const gpt41Azure = "https://explore.oreate.ai/posts/breaking-down-gpt41-pricing-on-azure-openai-service";
const gpt4oAzure = "https://redresscompliance.com/azure-openai-enterprise-pricing-guide";
const notVerified = "Azure Global Standard list price assumed equal to OpenAI's; not confirmed by search.";

/**
 * Azure OpenAI, Global Standard deployments. Azure addresses a deployment name, not a
 * model id: the gateway maps deployment -> base model before looking prices up. Data Zone
 * and Regional deployments cost about 10% more; price them with overrides.
 */
export const azureOpenaiModels: readonly ModelEntry[] = [
  {
    provider: "azure-openai", model: "gpt-5", mode: "chat", contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 1.25, output: 10, cachedRead: 0.125, cachedWrite: null },
    source, asOf, verified: false, notes: notVerified,
  },
  {
    provider: "azure-openai", model: "gpt-5-mini", mode: "chat", contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 0.25, output: 2, cachedRead: 0.025, cachedWrite: null },
    source, asOf, verified: false, notes: notVerified,
  },
  {
    provider: "azure-openai", model: "gpt-5-nano", mode: "chat", contextWindow: 400_000, maxOutputTokens: 128_000,
    price: { input: 0.05, output: 0.4, cachedRead: 0.005, cachedWrite: null },
    source, asOf, verified: false, notes: notVerified,
  },
  {
    provider: "azure-openai", model: "gpt-4.1", mode: "chat", contextWindow: 1_047_576, maxOutputTokens: 32_768,
    price: { input: 2, output: 8, cachedRead: 0.5, cachedWrite: null },
    source, asOf, verified: true, evidence: [gpt41Azure],
  },
  {
    provider: "azure-openai", model: "gpt-4.1-mini", mode: "chat", contextWindow: 1_047_576, maxOutputTokens: 32_768,
    price: { input: 0.4, output: 1.6, cachedRead: 0.1, cachedWrite: null },
    source, asOf, verified: true, evidence: [gpt41Azure],
  },
  {
    provider: "azure-openai", model: "gpt-4.1-nano", mode: "chat", contextWindow: 1_047_576, maxOutputTokens: 32_768,
    price: { input: 0.1, output: 0.4, cachedRead: 0.03, cachedWrite: null },
    source, asOf, verified: true, evidence: [gpt41Azure],
    notes: "Azure publishes cached input at $0.03 where OpenAI publishes $0.025.",
  },
  {
    provider: "azure-openai", model: "gpt-4o", mode: "chat", contextWindow: 128_000, maxOutputTokens: 16_384,
    price: { input: 2.5, output: 10, cachedRead: 1.25, cachedWrite: null },
    source, asOf, verified: true, evidence: [gpt4oAzure],
  },
  {
    provider: "azure-openai", model: "gpt-4o-mini", mode: "chat", contextWindow: 128_000, maxOutputTokens: 16_384,
    price: { input: 0.15, output: 0.6, cachedRead: 0.075, cachedWrite: null },
    source, asOf, verified: true, evidence: [gpt4oAzure],
  },
  {
    provider: "azure-openai", model: "o3", mode: "chat", contextWindow: 200_000, maxOutputTokens: 100_000,
    price: { input: 2, output: 8, cachedRead: 0.5, cachedWrite: null },
    source, asOf, verified: false, notes: notVerified,
  },
  {
    provider: "azure-openai", model: "o4-mini", mode: "chat", contextWindow: 200_000, maxOutputTokens: 100_000,
    price: { input: 1.1, output: 4.4, cachedRead: 0.275, cachedWrite: null },
    source, asOf, verified: false, notes: notVerified,
  },
  {
    provider: "azure-openai", model: "text-embedding-3-small", mode: "embedding", contextWindow: 8_191, maxOutputTokens: null,
    price: { input: 0.02, output: null, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: notVerified,
  },
  {
    provider: "azure-openai", model: "text-embedding-3-large", mode: "embedding", contextWindow: 8_191, maxOutputTokens: null,
    price: { input: 0.13, output: null, cachedRead: null, cachedWrite: null },
    source, asOf, verified: false, notes: notVerified,
  },
];
