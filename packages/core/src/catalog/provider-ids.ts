/**
 * Provider ids the catalog knows. Core must not import @portcullis/providers, so the
 * list is duplicated from its `providerTypes`; a test in packages/policy keeps the two
 * in step until the lead moves the list here.
 */
export const catalogProviders = [
  "openai", "azure-openai", "anthropic", "bedrock", "gemini", "vertex",
  "mistral", "groq", "deepseek", "xai", "together", "fireworks", "openrouter", "ollama", "vllm",
  "openai-compatible",
] as const;
export type CatalogProvider = (typeof catalogProviders)[number];

/**
 * Providers that publish per-token list prices, so the catalog ships entries for them.
 * The others are pass-through (openrouter bills the upstream's price plus its fee),
 * self-hosted (ollama, vllm) or unknown (openai-compatible): an install prices their
 * models with overrides or extra entries.
 */
export const pricedProviders = [
  "openai", "azure-openai", "anthropic", "bedrock", "gemini", "vertex",
  "mistral", "groq", "deepseek", "xai", "together", "fireworks",
] as const satisfies readonly CatalogProvider[];
