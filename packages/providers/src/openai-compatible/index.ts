/**
 * Servers that speak OpenAI's wire format (Mistral, Groq, DeepSeek, xAI,
 * Together, Fireworks, OpenRouter, Ollama `/v1`, vLLM, any other): one base,
 * a default URL and a few quirks each (see `profiles.ts`).
 */
import { openAiAuthHeaders, openAiUrl } from "../openai/api";
import { createOpenAiWireAdapter } from "../openai/wire-adapter";
import type { ProviderAdapter } from "../types";
import { compatibleQuirks, type CompatibleProviderType } from "./profiles";

export function createOpenAiCompatibleAdapter(type: CompatibleProviderType, opts: { now?: () => number } = {}): ProviderAdapter {
  const q = compatibleQuirks[type];
  const adapter = createOpenAiWireAdapter({
    type,
    url: (target, op) => openAiUrl(target, op, q.defaultBaseUrl),
    authHeaders: openAiAuthHeaders,
    streamUsage: q.streamUsage,
    nativeBase64Embeddings: q.nativeBase64Embeddings,
    supportsResponses: q.responses,
    ...(q.transformChatBody ? { transformChatBody: q.transformChatBody } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  if (!q.embeddings) delete adapter.embeddings;
  return adapter;
}

export const mistralAdapter = createOpenAiCompatibleAdapter("mistral");
export const groqAdapter = createOpenAiCompatibleAdapter("groq");
export const deepseekAdapter = createOpenAiCompatibleAdapter("deepseek");
export const xaiAdapter = createOpenAiCompatibleAdapter("xai");
export const togetherAdapter = createOpenAiCompatibleAdapter("together");
export const fireworksAdapter = createOpenAiCompatibleAdapter("fireworks");
export const openRouterAdapter = createOpenAiCompatibleAdapter("openrouter");
export const ollamaAdapter = createOpenAiCompatibleAdapter("ollama");
export const vllmAdapter = createOpenAiCompatibleAdapter("vllm");
export const openAiCompatibleAdapter = createOpenAiCompatibleAdapter("openai-compatible");

export { compatibleQuirks, type CompatibleProviderType, type CompatibleQuirks } from "./profiles";
